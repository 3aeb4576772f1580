// Package staffpage holds what the staff-side pages (the staff console and
// the editor console) share: their base stylesheet, the parsing of a
// layout with one template per page, and rendering into a buffer so that a
// failing template never sends half a page.
package staffpage

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
)

// Static holds staff.css, the shared look; a page package adds it to its
// own files (static.Files.Add(staffpage.Static, "static")) and links
// {{static "staff.css"}} before its own stylesheet.
//
//go:embed static
var Static embed.FS

//go:embed partials/*.html
var partials embed.FS

// Views are the pages by file name (queue.html …), each the layout plus
// the page's own blocks.
type Views map[string]*template.Template

// Parse reads dir/layout.html and every other dir/*.html of fsys as one
// view each; the layout may use this package's partials (staff-head,
// staff-user, staff-main).
func Parse(fsys fs.FS, dir string, funcs template.FuncMap) (Views, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(partials, "partials/*.html")
	if err == nil {
		base, err = base.ParseFS(fsys, path.Join(dir, "layout.html"))
	}
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(fsys, path.Join(dir, "*.html"))
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	v := Views{}
	for _, f := range files {
		name := path.Base(f)
		if name == "layout.html" {
			continue
		}
		t, err := base.Clone()
		if err == nil {
			t, err = t.ParseFS(fsys, f)
		}
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		v[name] = t
	}
	return v, nil
}

// Write renders block ("layout" for a whole page) of view with data into a
// buffer, then writes it with status; a failure is logged and answered
// 500 with failText.
func (v Views) Write(w http.ResponseWriter, r *http.Request, logger *slog.Logger, status int, view, block string, data any, failText string) {
	t, ok := v[view]
	var buf bytes.Buffer
	var err error
	if !ok {
		err = fmt.Errorf("no view %s", view)
	} else {
		err = t.ExecuteTemplate(&buf, block, data)
	}
	if err != nil {
		logger.ErrorContext(r.Context(), "render page", "view", view, "err", err)
		http.Error(w, failText, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Zone is Vietnam's time: staff pages show local times whatever the
// server's zone.
var Zone = time.FixedZone("ICT", 7*60*60)

// Funcs are the template functions every staff page has: "stamp" (a time
// as dd/mm/yyyy HH:MM in Vietnam) and "role" (a role in Vietnamese).
// Pages add their own to the map.
func Funcs() template.FuncMap {
	return template.FuncMap{"stamp": Stamp, "role": RoleName}
}

// Stamp is "dd/mm/yyyy HH:MM" in Vietnam's time ("" for the zero time).
func Stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("02/01/2006 15:04")
}

// RoleName is a staff role in Vietnamese.
func RoleName(r staff.Role) string {
	switch r {
	case staff.RoleStaff:
		return "Cán bộ"
	case staff.RoleSupervisor:
		return "Phụ trách"
	case staff.RoleCityAdmin:
		return "Quản trị Thành phố"
	case staff.RoleEditor:
		return "Biên tập"
	}
	return string(r)
}

// Redirect answers a successful form with 303 to where the result shows,
// with ok naming the message to show there (?ok=…).
func Redirect(w http.ResponseWriter, r *http.Request, to, ok string) {
	if ok != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "ok=" + ok
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// Page is what a staff layout shows around every page's content.
type Page struct {
	Site  string // the site's name in the title: "Cán bộ", "Cơ sở dữ liệu"
	Title string
	Nav   string // the active nav item
	User  staff.User
	CSRF  string
	Flash string // a message about the last action
	Error bool   // Flash is an error
	Data  any
}

// NewPage is a page for the request's logged-in user (auth.Require) with
// the message of a successful action (?ok=key, looked up in ok) shown.
func NewPage(r *http.Request, site, title, nav string, data any, ok map[string]string) Page {
	u, _ := auth.UserFrom(r.Context())
	p := Page{Site: site, Title: title, Nav: nav, User: u, CSRF: auth.CSRFFrom(r.Context()), Data: data}
	if msg, found := ok[r.URL.Query().Get("ok")]; found {
		p.Flash = msg
	}
	return p
}

// TitleText is the document title: "Page · Hỏi Phường — Site".
func (p Page) TitleText() string {
	t := "Hỏi Phường — " + p.Site
	if p.Title != "" {
		t = p.Title + " · " + t
	}
	return t
}
