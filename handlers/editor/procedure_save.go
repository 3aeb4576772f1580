package editor

import (
	"errors"
	"net/http"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

const msgProcedureExists = "Đã có thủ tục với mã này; hãy chọn mã khác hoặc sửa thủ tục đó."

// procedureCreate handles POST /procedures: a new procedure in the draft.
func (e *Editor) procedureCreate(w http.ResponseWriter, r *http.Request) {
	f := parseProcedureForm(r, "")
	if errs := f.Validate(); len(errs) > 0 {
		e.renderProcedureForm(w, r, http.StatusUnprocessableEntity, procedureFormData{New: true, Form: f, Errors: errs}, msgBadForm)
		return
	}
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	if _, ok := findProcedure(kb, f.ID); ok {
		e.renderProcedureForm(w, r, http.StatusConflict, procedureFormData{New: true, Form: f,
			Errors: fieldErrors{"id": msgProcedureExists}}, msgProcedureExists)
		return
	}
	e.saveProcedure(w, r, f, true)
}

// procedureUpdate handles POST /procedures/{id}: the procedure's new
// columns in the draft.
func (e *Editor) procedureUpdate(w http.ResponseWriter, r *http.Request) {
	f := parseProcedureForm(r, urlParam(r, "id"))
	if errs := f.Validate(); len(errs) > 0 {
		e.renderProcedureForm(w, r, http.StatusUnprocessableEntity, procedureFormData{Form: f, Errors: errs}, msgBadForm)
		return
	}
	e.saveProcedure(w, r, f, false)
}

func (e *Editor) saveProcedure(w http.ResponseWriter, r *http.Request, f procedureForm, isNew bool) {
	err := e.store.SaveProcedure(r.Context(), actor(r), f.Procedure())
	switch {
	case err == nil:
		staffpage.Redirect(w, r, basePath+"/procedures/"+f.ID, "saved")
	case errors.Is(err, ErrInvalid):
		e.renderProcedureForm(w, r, http.StatusUnprocessableEntity, procedureFormData{New: isNew, Form: f, Errors: storeProblems(err)}, invalidReason(err))
	default:
		e.fail(w, r, err)
	}
}

// procedureDelete handles POST /procedures/{id}/delete.
func (e *Editor) procedureDelete(w http.ResponseWriter, r *http.Request) {
	if err := e.store.DeleteProcedure(r.Context(), actor(r), urlParam(r, "id")); err != nil {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath+"/procedures", "deleted")
}
