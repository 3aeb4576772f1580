package console

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// settingsData is what settings.html shows.
type settingsData struct {
	Unit, Name string
	Days       []dayRow
	SLAMinutes int
	AlertChat  string // the unit's Telegram alert group
	Summary    string // the hours in one line
	Custom     bool
	UpdatedBy  string
	UpdatedAt  time.Time
}

// dayRow is one weekday's field.
type dayRow struct {
	Field, Name, Text string
}

// weekdays in the order of a Vietnamese week (Monday first); the index is
// handoff.Hours.Days's (0 = Sunday).
var weekdays = []struct {
	index int
	name  string
}{
	{1, "Thứ Hai"}, {2, "Thứ Ba"}, {3, "Thứ Tư"}, {4, "Thứ Năm"}, {5, "Thứ Sáu"}, {6, "Thứ Bảy"}, {0, "Chủ nhật"},
}

// settingsShow handles GET /console/units/{code}/settings (supervisors of
// the unit and city admins).
func (c *Console) settingsShow(w http.ResponseWriter, r *http.Request) {
	code, ok := c.settingsUnit(r)
	if !ok {
		c.fail(w, r, handoff.ErrNotFound, "")
		return
	}
	s, err := c.desk.Settings(r.Context(), code)
	if err != nil {
		c.fail(w, r, err, "")
		return
	}
	c.render(w, r, http.StatusOK, "settings.html", c.settingsPage(r, s, nil))
}

// settingsUnit is the {code} of the request when the user may edit its
// settings: a known queue that the user sees.
func (c *Console) settingsUnit(r *http.Request) (string, bool) {
	code, u := chi.URLParam(r, "code"), user(r)
	if !u.CanSeeUnit(code) {
		return "", false
	}
	if code == staff.CityQueue {
		return code, true
	}
	for _, un := range c.desk.Units() {
		if un.Code == code {
			return code, true
		}
	}
	return "", false
}

// settingsPage shows s; typed (when not nil) replaces the days' texts
// with what the user typed.
func (c *Console) settingsPage(r *http.Request, s handoff.Settings, typed map[string]string) page {
	d := settingsData{Unit: s.Unit, Name: c.desk.UnitName(s.Unit), SLAMinutes: int(s.SLA / time.Minute), AlertChat: s.AlertChat,
		Summary: s.Hours.String(), Custom: s.Custom, UpdatedBy: s.UpdatedBy, UpdatedAt: s.UpdatedAt}
	for _, wd := range weekdays {
		row := dayRow{Field: dayField(wd.index), Name: wd.name, Text: s.Hours.DayText(wd.index)}
		if t, ok := typed[row.Field]; ok {
			row.Text = t
		}
		d.Days = append(d.Days, row)
	}
	return c.newPage(r, "Giờ làm việc — "+d.Name, "units", d)
}

func dayField(i int) string { return "day" + string(rune('0'+i)) }
