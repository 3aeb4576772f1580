package editor

import (
	"errors"
	"net/http"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// curatedCreate handles POST /curated (with group: the unanswered group
// it answers is marked done).
func (e *Editor) curatedCreate(w http.ResponseWriter, r *http.Request) {
	e.saveCurated(w, r, parseCuratedForm(r, ""), true)
}

// curatedUpdate handles POST /curated/{id}.
func (e *Editor) curatedUpdate(w http.ResponseWriter, r *http.Request) {
	e.saveCurated(w, r, parseCuratedForm(r, urlParam(r, "id")), false)
}

func (e *Editor) saveCurated(w http.ResponseWriter, r *http.Request, f curatedForm, isNew bool) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	d := curatedFormData{New: isNew, Form: f, Errors: f.Validate(kb)}
	if _, exists := findCurated(kb, f.ID); isNew && exists {
		d.Errors["id"] = msgIDExists
	}
	if len(d.Errors) > 0 {
		e.renderCuratedForm(w, r, http.StatusUnprocessableEntity, kb, d, msgBadForm)
		return
	}
	err = e.store.SaveCurated(r.Context(), actor(r), f.Curated())
	switch {
	case errors.Is(err, ErrInvalid):
		d.Errors = storeProblems(err)
		e.renderCuratedForm(w, r, http.StatusUnprocessableEntity, kb, d, invalidReason(err))
		return
	case err != nil:
		e.fail(w, r, err)
		return
	}
	if f.Group == "" {
		staffpage.Redirect(w, r, basePath+"/curated/"+f.ID, "saved")
		return
	}
	if err := e.resolveGroup(r, f.Group, "curated:"+f.ID, "Tạo câu trả lời đã duyệt "+f.ID); err != nil {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath+"/unanswered", "curated")
}

// curatedDelete handles POST /curated/{id}/delete.
func (e *Editor) curatedDelete(w http.ResponseWriter, r *http.Request) {
	if err := e.store.DeleteCurated(r.Context(), actor(r), urlParam(r, "id")); err != nil {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath+"/curated", "deleted")
}
