package editor

import (
	"errors"
	"net/http"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// draftDiscard handles POST /draft/discard: the draft is dropped; the
// published version stays as it is.
func (e *Editor) draftDiscard(w http.ResponseWriter, r *http.Request) {
	err := e.store.DiscardDraft(r.Context(), actor(r))
	if err != nil && !errors.Is(err, ErrNoDraft) {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath, "discarded")
}
