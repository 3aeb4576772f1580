package console

import (
	"bytes"
	"embed"
	"fmt"
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

const basePath = "/console"

// page is a staff page with the console's live parts.
type page struct {
	staffpage.Page
	Queued int    // queued chats, for the title badge
	Live   string // what the script keeps live: queue | conversation | ""
	// Shell makes the page fill the window, its parts scrolling on their
	// own (the conversation: history above, reply box always in view).
	Shell bool
}

// TitleText is the document title, with the badge of queued chats.
func (p page) TitleText() string {
	if p.Queued > 0 {
		return fmt.Sprintf("(%d) %s", p.Queued, p.Page.TitleText())
	}
	return p.Page.TitleText()
}

func (c *Console) newPage(r *http.Request, title, nav string, data any) page {
	return page{Page: staffpage.NewPage(r, "Cán bộ", title, nav, data, okMessages)}
}

// render writes the page view with status, rendered into a buffer first
// so that a failing template never sends half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, view string, p page) {
	c.write(w, r, status, view, "layout", p)
}

// renderPartial writes only the block of a view (the live part a script
// refetches with X-Partial: 1).
func (c *Console) renderPartial(w http.ResponseWriter, r *http.Request, view, block string, p page) {
	c.write(w, r, http.StatusOK, view, block, p)
}

func (c *Console) write(w http.ResponseWriter, r *http.Request, status int, view, block string, p page) {
	c.views.Write(w, r, c.logger, status, view, block, p, msgInternal)
}

// partial reports whether the script asks for the live part only.
func partial(r *http.Request) bool { return r.Header.Get("X-Partial") == "1" }

// message writes a page with only a message (not found, forbidden …).
func (c *Console) message(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := c.newPage(r, "Thông báo", "", nil)
	p.Flash, p.Error = msg, true
	c.render(w, r, status, "message.html", p)
}

// checkViews renders every view once with empty data.
func (c *Console) checkViews() error {
	samples := map[string]any{
		"queue.html":        queueData{},
		"conversation.html": conversationData{},
		"canned.html":       cannedData{},
		"units.html":        unitsData{},
		"settings.html":     settingsData{},
		"holidays.html":     holidaysData{},
		"users.html":        usersData{},
		"message.html":      nil,
	}
	for name, t := range c.views {
		data, ok := samples[name]
		if !ok {
			return fmt.Errorf("console: view %s has no sample data to check", name)
		}
		p := page{Page: staffpage.Page{Site: "Cán bộ", Title: "check", User: staff.User{Name: "check", Role: staff.RoleCityAdmin}, CSRF: "check", Data: data}}
		if err := t.ExecuteTemplate(&bytes.Buffer{}, "layout", p); err != nil {
			return fmt.Errorf("console: render %s: %w", name, err)
		}
	}
	return nil
}
