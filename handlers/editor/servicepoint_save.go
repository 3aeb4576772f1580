package editor

import (
	"errors"
	"net/http"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

const msgIDExists = "Mã này đã được dùng; hãy chọn mã khác."

// servicePointCreate handles POST /service-points.
func (e *Editor) servicePointCreate(w http.ResponseWriter, r *http.Request) {
	e.saveServicePoint(w, r, parseServicePointForm(r, ""), true)
}

// servicePointUpdate handles POST /service-points/{id}.
func (e *Editor) servicePointUpdate(w http.ResponseWriter, r *http.Request) {
	e.saveServicePoint(w, r, parseServicePointForm(r, urlParam(r, "id")), false)
}

func (e *Editor) saveServicePoint(w http.ResponseWriter, r *http.Request, f servicePointForm, isNew bool) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	d := servicePointFormData{New: isNew, Form: f, Errors: f.Validate(kb)}
	if _, exists := findServicePoint(kb, f.ID); isNew && exists {
		d.Errors["id"] = msgIDExists
	}
	if len(d.Errors) > 0 {
		e.renderServicePointForm(w, r, http.StatusUnprocessableEntity, d, msgBadForm)
		return
	}
	err = e.store.SaveServicePoint(r.Context(), actor(r), f.ServicePoint())
	switch {
	case err == nil:
		staffpage.Redirect(w, r, basePath+"/service-points/"+f.ID, "saved")
	case errors.Is(err, ErrInvalid):
		d.Errors = storeProblems(err)
		e.renderServicePointForm(w, r, http.StatusUnprocessableEntity, d, invalidReason(err))
	default:
		e.fail(w, r, err)
	}
}

// servicePointDelete handles POST /service-points/{id}/delete.
func (e *Editor) servicePointDelete(w http.ResponseWriter, r *http.Request) {
	if err := e.store.DeleteServicePoint(r.Context(), actor(r), urlParam(r, "id")); err != nil {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath+"/service-points", "deleted")
}
