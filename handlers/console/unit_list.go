package console

import "net/http"

// unitsData is what units.html shows.
type unitsData struct {
	Units []unitOption
}

// unitList handles GET /console/units: the units whose office hours and
// SLA the user may edit (supervisors: theirs; city admin: all).
func (c *Console) unitList(w http.ResponseWriter, r *http.Request) {
	d := unitsData{Units: c.editableUnits(user(r))}
	c.render(w, r, http.StatusOK, "units.html", c.newPage(r, "Giờ làm việc", "units", d))
}
