package editor

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// officeForm is a unit's office as typed.
type officeForm struct {
	Address, Phone, Hotline, Hours, MapURL, Notes string
}

func parseOfficeForm(r *http.Request) officeForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return officeForm{Address: v("address"), Phone: v("phone"), Hotline: v("hotline"), Hours: v("hours"),
		MapURL: v("map_url"), Notes: v("notes")}
}

// Validate reports malformed fields.
func (f officeForm) Validate() fieldErrors {
	errs := fieldErrors{}
	if f.MapURL != "" && !strings.HasPrefix(f.MapURL, "https://") {
		errs["map_url"] = "Đường dẫn bản đồ phải bắt đầu bằng https://"
	}
	for k, v := range map[string]string{"phone": f.Phone, "hotline": f.Hotline} {
		if v != "" && strings.Trim(v, "0123456789 .+-()") != "" {
			errs[k] = "Số điện thoại chỉ gồm chữ số, khoảng trắng và các dấu . + - ( )"
		}
	}
	return errs
}

// officeFormData is what office_form.html shows.
type officeFormData struct {
	Unit   knowledge.Unit
	Form   officeForm
	Errors fieldErrors
}

// officeEdit handles GET /offices/{code}.
func (e *Editor) officeEdit(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	u, ok := findUnit(kb, urlParam(r, "code"))
	if !ok {
		e.fail(w, r, ErrNotFound)
		return
	}
	f := officeForm{Address: u.Address, Phone: u.Phone, Hotline: u.Hotline, Hours: u.Hours, MapURL: u.MapURL, Notes: u.OfficeNotes}
	e.render(w, r, http.StatusOK, "office_form.html", e.newPage(r, u.Name, "offices", officeFormData{Unit: u, Form: f}))
}

// officeSave handles POST /offices/{code}: the office fields in the draft.
func (e *Editor) officeSave(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	u, ok := findUnit(kb, urlParam(r, "code"))
	if !ok {
		e.fail(w, r, ErrNotFound)
		return
	}
	f := parseOfficeForm(r)
	d := officeFormData{Unit: u, Form: f, Errors: f.Validate()}
	flash := msgBadForm
	if len(d.Errors) == 0 {
		u.Address, u.Phone, u.Hotline, u.Hours, u.MapURL, u.OfficeNotes = f.Address, f.Phone, f.Hotline, f.Hours, f.MapURL, f.Notes
		err = e.store.SaveOffice(r.Context(), actor(r), u)
		switch {
		case err == nil:
			staffpage.Redirect(w, r, basePath+"/offices/"+u.Code, "saved")
			return
		case errors.Is(err, ErrInvalid):
			flash, d.Errors = invalidReason(err), storeProblems(err)
		default:
			e.fail(w, r, err)
			return
		}
	}
	p := e.newPage(r, u.Name, "offices", d)
	p.Flash, p.Error = flash, true
	e.render(w, r, http.StatusUnprocessableEntity, "office_form.html", p)
}
