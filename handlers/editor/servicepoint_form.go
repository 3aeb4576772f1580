package editor

import (
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// servicePointForm is a city service point as typed.
type servicePointForm struct {
	ID, Name, Address, Phone, Hours, MapURL, Matters, Notes string
}

func servicePointFormFrom(s knowledge.ServicePoint) servicePointForm {
	return servicePointForm{ID: s.ID, Name: s.Name, Address: s.Address, Phone: s.Phone, Hours: s.Hours,
		MapURL: s.MapURL, Matters: strings.Join(s.Matters, "\n"), Notes: s.Notes}
}

func parseServicePointForm(r *http.Request, id string) servicePointForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	if id == "" {
		id = v("id")
	}
	return servicePointForm{ID: id, Name: v("name"), Address: v("address"), Phone: v("phone"), Hours: v("hours"),
		MapURL: v("map_url"), Matters: v("matters"), Notes: v("notes")}
}

// ServicePoint is the form as a service point.
func (f servicePointForm) ServicePoint() knowledge.ServicePoint {
	return knowledge.ServicePoint{ID: f.ID, Name: f.Name, Address: f.Address, Phone: f.Phone, Hours: f.Hours,
		MapURL: f.MapURL, Matters: splitLines(f.Matters), Notes: f.Notes}
}

// Validate reports what is missing or malformed, by field; kb gives the
// procedure ids the matters must name.
func (f servicePointForm) Validate(kb *knowledge.KB) fieldErrors {
	errs := fieldErrors{}
	if !validSlug(f.ID) {
		errs["id"] = "Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ: trung-tam-hcc)."
	}
	if f.Name == "" {
		errs["name"] = "Hãy nhập tên điểm tiếp nhận."
	}
	if f.Address == "" {
		errs["address"] = "Hãy nhập địa chỉ."
	}
	if f.MapURL != "" && !strings.HasPrefix(f.MapURL, "https://") {
		errs["map_url"] = "Đường dẫn bản đồ phải bắt đầu bằng https://"
	}
	for _, m := range splitLines(f.Matters) {
		if _, ok := findProcedure(kb, m); !ok {
			errs["matters"] = "Không có thủ tục mã " + m + "."
			break
		}
	}
	return errs
}

// servicePointFormData is what servicepoint_form.html shows.
type servicePointFormData struct {
	New    bool
	Form   servicePointForm
	Errors fieldErrors
}

func (e *Editor) renderServicePointForm(w http.ResponseWriter, r *http.Request, status int, d servicePointFormData, flash string) {
	title := "Sửa điểm tiếp nhận"
	if d.New {
		title = "Thêm điểm tiếp nhận"
	}
	p := e.newPage(r, title, "service-points", d)
	if flash != "" {
		p.Flash, p.Error = flash, true
	}
	e.render(w, r, status, "servicepoint_form.html", p)
}

func findServicePoint(kb *knowledge.KB, id string) (knowledge.ServicePoint, bool) {
	for _, s := range kb.ServicePoints {
		if s.ID == id {
			return s, true
		}
	}
	return knowledge.ServicePoint{}, false
}
