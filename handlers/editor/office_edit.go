package editor

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// officeForm is a unit's office as typed.
type officeForm struct {
	Address, UBNDAddress, PoliceAddress, Phone, Hotline, Hours, MapURL, Notes string
	Source, SourceURL, AsOf, Confidence, Check                                string
}

func officeFormFrom(u knowledge.Unit) officeForm {
	return officeForm{Address: u.Address, UBNDAddress: u.UBNDAddress, PoliceAddress: u.PoliceAddress, Phone: u.Phone,
		Hotline: u.Hotline, Hours: u.Hours, MapURL: u.MapURL, Notes: u.OfficeNotes, Source: u.OfficeSource,
		SourceURL: u.OfficeSourceURL, AsOf: u.OfficeAsOf, Confidence: u.OfficeConfidence, Check: u.OfficeCheck}
}

func parseOfficeForm(r *http.Request) officeForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return officeForm{Address: v("address"), UBNDAddress: v("ubnd_address"), PoliceAddress: v("police_address"),
		Phone: v("phone"), Hotline: v("hotline"), Hours: v("hours"), MapURL: v("map_url"), Notes: v("notes"),
		Source: v("office_source"), SourceURL: v("office_source_url"), AsOf: v("office_as_of"),
		Confidence: v("office_confidence"), Check: v("office_check")}
}

// office is the unit u with the form's office fields.
func (f officeForm) office(u knowledge.Unit) knowledge.Unit {
	u.Address, u.UBNDAddress, u.PoliceAddress = f.Address, f.UBNDAddress, f.PoliceAddress
	u.Phone, u.Hotline, u.Hours, u.MapURL, u.OfficeNotes = f.Phone, f.Hotline, f.Hours, f.MapURL, f.Notes
	u.OfficeSource, u.OfficeSourceURL, u.OfficeAsOf = f.Source, f.SourceURL, f.AsOf
	u.OfficeConfidence, u.OfficeCheck = f.Confidence, f.Check
	return u
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
	if f.SourceURL != "" && !validURL(f.SourceURL) {
		errs["office_source_url"] = "Nguồn phải là một đường dẫn bắt đầu bằng https:// (hoặc http://)"
	}
	if f.AsOf != "" {
		if _, err := time.Parse("2006-01-02", f.AsOf); err != nil {
			errs["office_as_of"] = "Ngày phải có dạng YYYY-MM-DD"
		}
	}
	switch f.Confidence {
	case "", "high", "medium", "low":
	default:
		errs["office_confidence"] = "Chọn cao, trung bình hoặc thấp"
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
	f := officeFormFrom(u)
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
		u = f.office(u)
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
