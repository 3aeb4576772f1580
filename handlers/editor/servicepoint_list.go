package editor

import (
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// servicePointListData is what servicepoints.html shows.
type servicePointListData struct {
	Query string
	Total int
	Items []knowledge.ServicePoint
}

// servicePointList handles GET /service-points.
func (e *Editor) servicePointList(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := servicePointListData{Query: q, Total: len(kb.ServicePoints)}
	for _, s := range kb.ServicePoints {
		if matches(q, s.ID, s.Name, s.Address) {
			d.Items = append(d.Items, s)
		}
	}
	e.render(w, r, http.StatusOK, "servicepoints.html", e.newPage(r, "Điểm tiếp nhận cấp Thành phố", "service-points", d))
}

// servicePointNew handles GET /service-points/new.
func (e *Editor) servicePointNew(w http.ResponseWriter, r *http.Request) {
	e.renderServicePointForm(w, r, http.StatusOK, servicePointFormData{New: true}, "")
}

// servicePointEdit handles GET /service-points/{id}.
func (e *Editor) servicePointEdit(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	s, ok := findServicePoint(kb, urlParam(r, "id"))
	if !ok {
		e.fail(w, r, ErrNotFound)
		return
	}
	e.renderServicePointForm(w, r, http.StatusOK, servicePointFormData{Form: servicePointFormFrom(s)}, "")
}
