package editor

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// auditPageSize is how many entries one audit page shows.
const auditPageSize = 50

// auditFilter is the audit search form as typed.
type auditFilter struct {
	Text, Actor, Action, From, To string
	Page                          int
}

func parseAuditFilter(r *http.Request) (auditFilter, string) {
	q := r.URL.Query()
	v := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := auditFilter{Text: v("text"), Actor: v("actor"), Action: v("action"), From: v("from"), To: v("to"), Page: 1}
	if n, err := strconv.Atoi(v("page")); err == nil && n > 1 {
		f.Page = n
	}
	for _, d := range []string{f.From, f.To} {
		if _, err := time.Parse("2006-01-02", d); d != "" && err != nil {
			return f, "Ngày phải có dạng năm-tháng-ngày."
		}
	}
	return f, ""
}

// Query is the store's query for the filter: dates are days in Vietnam's
// time, To included.
func (f auditFilter) Query(limit, offset int) AuditQuery {
	q := AuditQuery{Text: f.Text, Actor: f.Actor, Action: f.Action, Limit: limit, Offset: offset}
	if t, err := time.ParseInLocation("2006-01-02", f.From, staffpage.Zone); err == nil {
		q.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", f.To, staffpage.Zone); err == nil {
		q.To = t.Add(24 * time.Hour) // the store reads To as exclusive
	}
	return q
}

// Values is the filter as a query string (without the page).
func (f auditFilter) Values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"text": f.Text, "actor": f.Actor, "action": f.Action, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// PageURL is the audit page n with the same filter.
func (f auditFilter) PageURL(n int) string {
	v := f.Values()
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	return basePath + "/audit?" + v.Encode()
}

// CSVURL is the export of the filtered entries.
func (f auditFilter) CSVURL() string { return basePath + "/audit.csv?" + f.Values().Encode() }

// auditData is what audit.html shows.
type auditData struct {
	Filter  auditFilter
	Entries []AuditEntry
	HasNext bool
}

// auditList handles GET /audit: the audit log, newest first, searchable
// by text, actor, action and date range, auditPageSize per page.
func (e *Editor) auditList(w http.ResponseWriter, r *http.Request) {
	f, invalid := parseAuditFilter(r)
	d := auditData{Filter: f}
	status := http.StatusOK
	if invalid == "" {
		entries, err := e.store.Audit(r.Context(), f.Query(auditPageSize+1, (f.Page-1)*auditPageSize))
		if err != nil {
			e.fail(w, r, err)
			return
		}
		if len(entries) > auditPageSize {
			entries, d.HasNext = entries[:auditPageSize], true
		}
		d.Entries = entries
	} else {
		status = http.StatusUnprocessableEntity
	}
	p := e.newPage(r, "Nhật ký thay đổi", "audit", d)
	if invalid != "" {
		p.Flash, p.Error = invalid, true
	}
	e.render(w, r, status, "audit.html", p)
}
