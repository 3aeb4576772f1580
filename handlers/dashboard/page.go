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
// part (the page's script swaps it in every 10 seconds).
func (d *Dashboard) page(w http.ResponseWriter, r *http.Request) {
	db, ok := d.figures(w, r)
	if !ok {
		return
	}
	u, _ := auth.UserFrom(r.Context())
	var body []byte
	var err error
	notice := d.staffing(r.Context(), u)
	if r.Header.Get("X-Partial") == "1" {
		l := newLive(db)
		l.Staffing = notice
		body, err = d.render(liveName, l)
	} else {
		p := newPage(db, u, auth.CSRFFrom(r.Context()))
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

// figures loads the dashboard of the request's user and day (?day=
// YYYY-MM-DD, default today); on failure it has answered.
func (d *Dashboard) figures(w http.ResponseWriter, r *http.Request) (handoff.Dashboard, bool) {
	u, _ := auth.UserFrom(r.Context())
	db, err := d.desk.Dashboard(r.Context(), u, d.day(r))
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

// day is the day asked for: ?day=YYYY-MM-DD, else (or when malformed) today.
func (d *Dashboard) day(r *http.Request) time.Time {
	if s := r.URL.Query().Get("day"); s != "" {
		if t, err := time.Parse(dayLayout, s); err == nil {
			return t.Add(12 * time.Hour) // midday UTC is that date in Vietnam too
		}
	}
	return d.now()
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
