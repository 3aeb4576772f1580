package editor

import (
	"net/http"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// officeListData is what offices.html shows.
type officeListData struct {
	Query   string
	Total   int
	Missing int // units without an address yet
	ToCheck int // units whose sources disagree: listed first
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
		if u.OfficeCheck != "" {
			d.ToCheck++
		}
		if matches(q, u.Name, u.Code, u.FormerDistricts) {
			d.Items = append(d.Items, u)
		}
	}
	// The rows editors should check first, then the rest in the KB's order.
	slices.SortStableFunc(d.Items, func(a, b knowledge.Unit) int {
		return boolRank(b.OfficeCheck != "") - boolRank(a.OfficeCheck != "")
	})
	e.render(w, r, http.StatusOK, "offices.html", e.newPage(r, "Trụ sở phường, xã", "offices", d))
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func findUnit(kb *knowledge.KB, code string) (knowledge.Unit, bool) {
	for _, u := range kb.Units {
		if u.Code == code && u.InHCMC() {
			return u, true
		}
	}
	return knowledge.Unit{}, false
}
