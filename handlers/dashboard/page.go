package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
)

// Template names.
const (
	pageName = "dashboard.html"
	liveName = "live"
)

// Vietnamese messages of the error pages.
const (
	msgForbidden = "Bạn không có quyền xem bảng điều khiển này."
	msgInternal  = "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."
)

// page handles GET /: the whole page, or with X-Partial: 1 only its live
// part (the page's script swaps it in every 10 seconds, and when a
// table's header is clicked). ?day=, ?sort=, ?dir= and ?worst= choose
// what it shows (readView).
func (d *Dashboard) page(w http.ResponseWriter, r *http.Request) {
	v := readView(r.URL.Query())
	db, ok := d.figures(w, r, v)
	if !ok {
		return
	}
	tr, err := d.trends.trends(r.Context(), userOf(r), trendsEnd(db))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	var body []byte
	notice := d.staffing(r.Context(), userOf(r))
	if r.Header.Get("X-Partial") == "1" {
		l := newLive(db, tr, v, d.shapes)
		l.Staffing = notice
		body, err = d.render(liveName, l)
	} else {
		p := newPage(db, tr, v, d.shapes, userOf(r), auth.CSRFFrom(r.Context()))
		p.Live.Staffing = notice
		body, err = d.render(pageName, p)
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Vary", "X-Partial")
	_, _ = w.Write(body)
}

// trendsEnd is the day the trends end with: today in the live view, else
// the day shown.
func trendsEnd(db handoff.Dashboard) time.Time {
	if db.Live {
		return db.Now
	}
	return db.Day
}

// figures loads the dashboard of the request's user over the window v
// asks for; on failure it has answered.
func (d *Dashboard) figures(w http.ResponseWriter, r *http.Request, v view) (handoff.Dashboard, bool) {
	db, err := d.desk.Dashboard(r.Context(), userOf(r), d.day(v))
	if errors.Is(err, handoff.ErrForbidden) {
		http.Error(w, msgForbidden, http.StatusForbidden)
		return db, false
	}
	if err != nil {
		d.fail(w, r, err)
		return db, false
	}
	return db, true
}

// day is the day asked for (?day=YYYY-MM-DD; not after today), or zero
// for the live 24 hours (no day, or a malformed one).
func (d *Dashboard) day(v view) time.Time {
	t, err := time.Parse(dayLayout, v.Day)
	if err != nil {
		return time.Time{}
	}
	t = t.Add(12 * time.Hour) // midday UTC is that date in Vietnam too
	if now := d.now(); t.After(now) {
		return now
	}
	return t
}

func (d *Dashboard) render(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := d.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, err error) {
	d.logger.ErrorContext(r.Context(), "city dashboard", "path", r.URL.Path, "err", err)
	http.Error(w, msgInternal, http.StatusInternalServerError)
}
