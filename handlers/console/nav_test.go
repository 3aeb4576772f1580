package console_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestKBNavForEditors: users who may edit the knowledge base (city
// admins) see "Cơ sở dữ liệu" in the console's nav; staff do not.
func TestKBNavForEditors(t *testing.T) {
	rg := newRig(t)
	for user, want := range map[string]bool{"admin": true, "binh": false, "lan": false} {
		body := rg.login(user).get(rg, "/console/canned").body
		if got := strings.Contains(body, `<a href="/console/kb">Cơ sở dữ liệu</a>`); got != want {
			t.Errorf("%s: nav item Cơ sở dữ liệu shown = %v, want %v", user, got, want)
		}
	}
}

// The details toggle is a link: tapped before the page's script has run (a
// slow phone), it opens the page on the details pane, and from there back
// on the chat.
func TestPaneToggleWithoutScript(t *testing.T) {
	rg := newRig(t)
	c := rg.seed(unitA, "telegram", "Cho hỏi giờ làm việc")
	s := rg.login("lan")
	for _, tt := range []struct{ query, pane, toggle string }{
		{"", `data-pane="thread"`, `href="?pane=side"`},
		{"?pane=side", `data-pane="side"`, `href="?pane=thread"`},
		{"?pane=thread", `data-pane="thread"`, `href="?pane=side"`},
		{"?pane=bogus", `data-pane="thread"`, `href="?pane=side"`},
	} {
		r := rg.do(s.c, http.MethodGet, "/console/c/"+c.ID+tt.query, nil)
		if r.status != http.StatusOK || !strings.Contains(r.body, tt.pane) || !strings.Contains(r.body, tt.toggle) {
			t.Errorf("%q: status %d, want %s and a toggle %s", tt.query, r.status, tt.pane, tt.toggle)
		}
	}
}
