package console_test

import (
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
