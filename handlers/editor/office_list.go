package editor

import (
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// officeListData is what offices.html shows.
type officeListData struct {
	Query   string
	Total   int
	Missing int // units without an address yet
	Items   []knowledge.Unit
}

// officeList handles GET /offices: the HCMC units and their offices, ?q=
// searching names.
func (e *Editor) officeList(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := officeListData{Query: q}
	for _, u := range kb.Units {
		if !u.InHCMC() {
			continue
		}
		d.Total++
		if u.Address == "" {
			d.Missing++
		}
		if matches(q, u.Name, u.Code, u.FormerDistricts) {
			d.Items = append(d.Items, u)
		}
	}
	e.render(w, r, http.StatusOK, "offices.html", e.newPage(r, "Trụ sở phường, xã", "offices", d))
}

func findUnit(kb *knowledge.KB, code string) (knowledge.Unit, bool) {
	for _, u := range kb.Units {
		if u.Code == code && u.InHCMC() {
			return u, true
		}
	}
	return knowledge.Unit{}, false
}
