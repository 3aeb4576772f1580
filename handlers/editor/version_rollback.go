package editor

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// versionRollback handles POST /versions/{version}/rollback: the version
// is published again as a new version.
func (e *Editor) versionRollback(w http.ResponseWriter, r *http.Request) {
	v, err := strconv.Atoi(chi.URLParam(r, "version"))
	if err != nil || v <= 0 {
		e.fail(w, r, ErrNotFound)
		return
	}
	_, err = e.publisher.Rollback(r.Context(), actor(r), v)
	switch {
	case err == nil:
		staffpage.Redirect(w, r, basePath, "rollback")
	case errors.Is(err, ErrBusy):
		e.message(w, r, http.StatusConflict, msgPublishRace)
	default:
		e.fail(w, r, err)
	}
}
