package editor

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// importSave handles POST /import/{id}/save: the previewed import's good
// rows go into the draft, unless the draft changed since the preview
// (then nothing changes and the editor is asked to upload again).
func (e *Editor) importSave(w http.ResponseWriter, r *http.Request) {
	id, who := urlParam(r, "id"), actor(r)
	p, ok := e.imports.peek(id, who)
	if !ok {
		e.message(w, r, http.StatusGone, msgImportGone)
		return
	}
	revision, err := strconv.Atoi(r.PostFormValue("revision"))
	if err != nil || revision != p.revision {
		e.message(w, r, http.StatusConflict, msgConflict)
		return
	}
	err = e.store.ApplyImport(r.Context(), who, p.imp, p.revision)
	switch {
	case err == nil:
		e.imports.take(id, who)
		staffpage.Redirect(w, r, basePath+"/import?table="+p.imp.Table, "imported")
	case errors.Is(err, ErrConflict):
		e.imports.take(id, who)
		e.message(w, r, http.StatusConflict, msgConflict)
	default:
		e.fail(w, r, err)
	}
}
