package console

import (
	"net/http"
	"sort"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// cannedData is what canned.html shows.
type cannedData struct {
	Groups   []cannedGroup
	AddUnits []unitOption // units the user may add replies to (nil: read-only)
	Draft    cannedForm
}

// cannedGroup is one unit's canned replies.
type cannedGroup struct {
	Unit, Name string
	CanEdit    bool
	Items      []store.Canned
}

// cannedList handles GET /console/canned: the canned replies of the user's
// units (and the city's); supervisors and city admins add and delete them.
func (c *Console) cannedList(w http.ResponseWriter, r *http.Request) {
	p, err := c.cannedPage(r, cannedForm{})
	if err != nil {
		c.fail(w, r, err, "")
		return
	}
	c.render(w, r, http.StatusOK, "canned.html", p)
}

func (c *Console) cannedPage(r *http.Request, draft cannedForm) (page, error) {
	u := user(r)
	all, err := c.desk.Canned(r.Context(), u)
	if err != nil {
		return page{}, err
	}
	d := cannedData{Draft: draft}
	byUnit := map[string]int{}
	for _, cr := range all {
		i, ok := byUnit[cr.UnitCode]
		if !ok {
			i = len(d.Groups)
			byUnit[cr.UnitCode] = i
			d.Groups = append(d.Groups, cannedGroup{Unit: cr.UnitCode, Name: c.desk.UnitName(cr.UnitCode),
				CanEdit: u.CanReassign() && u.CanSeeUnit(cr.UnitCode)})
		}
		d.Groups[i].Items = append(d.Groups[i].Items, cr)
	}
	sort.SliceStable(d.Groups, func(i, j int) bool { return d.Groups[i].Name < d.Groups[j].Name })
	d.AddUnits = c.editableUnits(u)
	return c.newPage(r, "Trả lời mẫu", "canned", d), nil
}

// editableUnits are the queues whose canned replies and settings the user
// may edit: a supervisor's units, every unit for a city admin, none for
// staff.
func (c *Console) editableUnits(u staff.User) []unitOption {
	if !u.CanReassign() {
		return nil
	}
	var out []unitOption
	if u.IsCityAdmin() {
		out = append(out, unitOption{Code: staff.CityQueue, Name: c.desk.UnitName(staff.CityQueue)})
		for _, un := range c.desk.Units() {
			out = append(out, unitOption{Code: un.Code, Name: un.Name})
		}
		return out
	}
	for _, code := range u.Units {
		out = append(out, unitOption{Code: code, Name: c.desk.UnitName(code)})
	}
	return out
}

// CanEditUnit reports whether the user may delete the unit's replies.
func (d cannedData) CanEditUnit(unit string) bool {
	for _, g := range d.Groups {
		if g.Unit == unit {
			return g.CanEdit
		}
	}
	return false
}
