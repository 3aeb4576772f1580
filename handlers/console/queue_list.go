package console

import (
	"net/http"
	"sort"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// queueData is what queue.html shows.
type queueData struct {
	Mine   []handoff.Item // owned by the viewer, on top
	Items  []handoff.Item // the rest of the queues, oldest first
	Units  []unitOption   // the unit filter (nil: only one unit)
	Unit   string         // the filter's unit ("": all)
	Queued int            // waiting for someone to claim them
	Covers covers         // the queues the page covers, for its header
	// Staffing names the viewer's queues whose chats nobody can answer
	// (supervisors and city admins).
	Staffing staffingNotice
}

// unitOption is one unit of a select.
type unitOption struct {
	Code, Name string
}

// queueList handles GET /console: the queues of the user's units (?unit=
// narrows it to one), with "Của tôi" on top. X-Partial: 1 returns only the
// lists, for the script that keeps them live.
func (c *Console) queueList(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), user(r)
	unit := r.URL.Query().Get("unit")
	items, err := c.desk.Queue(ctx, u, unit)
	if err != nil {
		c.fail(w, r, err, "")
		return
	}
	mine, err := c.desk.Mine(ctx, u)
	if err != nil {
		c.fail(w, r, err, "")
		return
	}
	d := queueData{Unit: unit}
	for _, it := range items {
		if it.Status == store.HandoffOpen {
			d.Queued++
		}
		if !it.Mine {
			d.Items = append(d.Items, it)
		}
	}
	for _, it := range mine {
		if unit == "" || it.UnitCode == unit {
			d.Mine = append(d.Mine, it)
		}
	}
	if d.Units, err = c.unitFilter(r, items); err != nil {
		c.fail(w, r, err, "")
		return
	}
	d.Covers = c.covers(u)
	d.Staffing = c.staffingNotice(ctx, u)
	p := c.newPage(r, "Hàng chờ", "queue", d)
	p.Queued, p.Live = d.Queued, "queue"
	if partial(r) {
		c.renderPartial(w, r, "queue.html", "queue_live", p)
		return
	}
	c.render(w, r, http.StatusOK, "queue.html", p)
}

// unitFilter is the units the queue page can be narrowed to: a member's
// units, or for a city admin the units that have chats now.
func (c *Console) unitFilter(r *http.Request, items []handoff.Item) ([]unitOption, error) {
	u := user(r)
	codes := u.Units
	if u.IsCityAdmin() {
		if r.URL.Query().Get("unit") != "" { // the filtered list misses the other units
			all, err := c.desk.Queue(r.Context(), u, "")
			if err != nil {
				return nil, err
			}
			items = all
		}
		seen := map[string]bool{}
		codes = nil
		for _, it := range items {
			if !seen[it.UnitCode] {
				seen[it.UnitCode] = true
				codes = append(codes, it.UnitCode)
			}
		}
	}
	if len(codes) < 2 && !u.IsCityAdmin() {
		return nil, nil
	}
	out := make([]unitOption, len(codes))
	for i, code := range codes {
		out[i] = unitOption{Code: code, Name: c.desk.UnitName(code)}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
