package editor

import (
	"bytes"
	"embed"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// basePath is where the gateway mounts the editor console.
const basePath = "/console/kb"

// page is a staff page of the editor console.
type page = staffpage.Page

func (e *Editor) newPage(r *http.Request, title, nav string, data any) page {
	return staffpage.NewPage(r, "Cơ sở dữ liệu", title, nav, data, okMessages)
}

// render writes the page view with status, rendered into a buffer first
// so that a failing template never sends half a page.
func (e *Editor) render(w http.ResponseWriter, r *http.Request, status int, view string, p page) {
	e.views.Write(w, r, e.logger, status, view, "layout", p, msgInternal)
}

// message writes a page with only a message (not found, conflict …).
func (e *Editor) message(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := e.newPage(r, "Thông báo", "", nil)
	p.Flash, p.Error = msg, true
	e.render(w, r, status, "message.html", p)
}

// checkViews renders every view once with sample data.
func (e *Editor) checkViews() error {
	samples := viewSamples()
	for name, t := range e.views {
		data, ok := samples[name]
		if !ok {
			return fmt.Errorf("editor: view %s has no sample data to check", name)
		}
		p := page{Site: "Cơ sở dữ liệu", Title: "check", User: staff.User{Name: "check", Role: staff.RoleEditor}, CSRF: "check", Data: data}
		if err := t.ExecuteTemplate(&bytes.Buffer{}, "layout", p); err != nil {
			return fmt.Errorf("editor: render %s: %w", name, err)
		}
	}
	return nil
}

// urlParam is a route parameter.
func urlParam(r *http.Request, name string) string { return chi.URLParam(r, name) }
