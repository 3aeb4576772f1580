package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

// Roles of the access table, by the username that plays them.
var roleUsers = []string{"anonymous", "editor", "lan", "hoa", "binh", "admin"}

// routeCase is what one console route needs and answers per role.
type routeCase struct {
	// form builds the POST body for a fresh target (nil: GET).
	form func(rg *rig, tgt target) url.Values
	// want is the status per role (anonymous and editor are the same
	// everywhere: 303/401 and 403).
	lan, hoa, binh, admin int
}

// target is what a route acts on: a fresh chat of unit A, a canned reply
// of unit A, a user.
type target struct {
	chat   chat
	canned int64
	user   staff.User
}

const (
	ok     = http.StatusOK
	see    = http.StatusSeeOther
	forbid = http.StatusForbidden
	absent = http.StatusNotFound
)

func holidayForm(*rig, target) url.Values {
	return url.Values{"day": {"2027-02-06"}, "name": {"Tết Nguyên đán"}}
}

func transferForm(*rig, target) url.Values {
	return url.Values{"to": {unitB}, "reason": {"Sai địa bàn"}}
}

var routeCases = map[string]routeCase{
	"GET /":                          {lan: ok, hoa: ok, binh: ok, admin: ok},
	"GET /events":                    {lan: ok, hoa: ok, binh: ok, admin: ok},
	"GET /static/{name}":             {lan: ok, hoa: ok, binh: ok, admin: ok},
	"GET /c/{id}":                    {lan: ok, hoa: absent, binh: ok, admin: ok},
	"GET /canned":                    {lan: ok, hoa: ok, binh: ok, admin: ok},
	"GET /units":                     {lan: forbid, hoa: forbid, binh: ok, admin: ok},
	"GET /units/{code}/settings":     {lan: forbid, hoa: forbid, binh: ok, admin: ok},
	"GET /users":                     {lan: forbid, hoa: forbid, binh: forbid, admin: ok},
	"POST /c/{id}/claim":             {form: noForm, lan: see, hoa: absent, binh: see, admin: see},
	"POST /c/{id}/reply":             {form: textForm("Chào anh, tôi là cán bộ phường."), lan: see, hoa: absent, binh: see, admin: see},
	"POST /c/{id}/note":              {form: textForm("Đã gọi điện cho công dân."), lan: see, hoa: absent, binh: see, admin: see},
	"POST /c/{id}/transfer":          {form: transferForm, lan: see, hoa: absent, binh: see, admin: see},
	"POST /c/{id}/reassign":          {form: reassignForm, lan: forbid, hoa: forbid, binh: see, admin: see},
	"POST /c/{id}/handback":          {form: noForm, lan: see, hoa: absent, binh: see, admin: see},
	"POST /c/{id}/close":             {form: closeForm, lan: see, hoa: absent, binh: see, admin: see},
	"POST /canned":                   {form: cannedForm, lan: forbid, hoa: absent, binh: see, admin: see},
	"POST /canned/{cannedID}/delete": {form: noForm, lan: forbid, hoa: absent, binh: see, admin: see},
	"POST /units/{code}/settings":    {form: settingsForm, lan: forbid, hoa: forbid, binh: see, admin: see},
	"POST /users":                    {form: newUserForm, lan: forbid, hoa: forbid, binh: forbid, admin: see},
	"POST /users/{userID}/disable":   {form: noForm, lan: forbid, hoa: forbid, binh: forbid, admin: see},
	"POST /users/{userID}/enable":    {form: noForm, lan: forbid, hoa: forbid, binh: forbid, admin: see},
	"POST /users/{userID}/password":  {form: passwordForm, lan: forbid, hoa: forbid, binh: forbid, admin: see},
	"GET /holidays":                  {lan: forbid, hoa: forbid, binh: forbid, admin: ok},
	"POST /holidays":                 {form: holidayForm, lan: forbid, hoa: forbid, binh: forbid, admin: see},
	"POST /holidays/{day}/delete":    {form: noForm, lan: forbid, hoa: forbid, binh: forbid, admin: see},
}

// Public routes of auth (login, logout, the login page's style): tested in
// handlers/auth.
func public(route string) bool {
	return route == "GET /login" || route == "POST /login" || route == "POST /logout" ||
		(strings.HasPrefix(route, "GET /auth.") && strings.HasSuffix(route, ".css"))
}

func noForm(*rig, target) url.Values { return url.Values{} }
func textForm(s string) func(*rig, target) url.Values {
	return func(*rig, target) url.Values { return url.Values{"text": {s}} }
}
func reassignForm(rg *rig, _ target) url.Values {
	return url.Values{"to": {fmt.Sprint(rg.users["minh"].ID)}}
}
func closeForm(*rig, target) url.Values { return url.Values{"outcome": {"not_needed"}} }
func cannedForm(*rig, target) url.Values {
	return url.Values{"unit": {unitA}, "title": {"Giờ làm việc"}, "text": {"Phường làm việc từ thứ Hai đến sáng thứ Bảy."}}
}
func settingsForm(*rig, target) url.Values {
	f := url.Values{"sla": {"10"}}
	for d := 1; d <= 5; d++ {
		f.Set(fmt.Sprintf("day%d", d), "07:30-11:30, 13:00-17:00")
	}
	return f
}
func newUserForm(rg *rig, _ target) url.Values {
	return url.Values{"username": {fmt.Sprintf("moi%d", rg.clock.Now().UnixNano()%1e9)}, "name": {"Cán Bộ Mới"},
		"role": {"staff"}, "units": {unitA}, "max_chats": {"3"}, "password": {"mat-khau-moi-123"}}
}
func passwordForm(*rig, target) url.Values { return url.Values{"password": {"mat-khau-moi-456"}} }

// path fills a route pattern for a target.
func (rg *rig) path(pattern string, tgt target) string {
	r := strings.NewReplacer("{id}", tgt.chat.ID, "{code}", unitA, "{cannedID}", fmt.Sprint(tgt.canned),
		"{userID}", fmt.Sprint(tgt.user.ID), "{name}", rg.staticName(), "{day}", "2027-02-06")
	return "/console" + r.Replace(pattern)
}

// staticName is the hashed name of the console's stylesheet.
func (rg *rig) staticName() string {
	var name string
	s := rg.login("lan")
	page := s.get(rg, "/console/canned").body
	if i := strings.Index(page, "/console/static/console."); i >= 0 {
		name = page[i+len("/console/static/"):]
		name = name[:strings.Index(name, `"`)]
	}
	if name == "" {
		rg.t.Fatal("no stylesheet link in the console page")
	}
	return name
}

// TestEveryRouteByRole walks every console route and proves the access
// rules for each role on a conversation of unit A: anonymous 303 to the
// login page (GET) or 401, editors 403 (the queue page sends them to
// /console/kb), staff of unit B 404 (or 403 for a
// role's action) with nothing of A's chat in the body.
func TestEveryRouteByRole(t *testing.T) {
	rg := newRig(t)
	routes := stafftest.Routes(t, rg.router)
	seen := map[string]bool{}
	for _, route := range routes {
		seen[route] = true
		if _, ok := routeCases[route]; !ok && !public(route) {
			t.Errorf("route %s has no access case: add it to routeCases", route)
		}
	}
	for route := range routeCases {
		if !seen[route] {
			t.Errorf("access case %s matches no route", route)
		}
	}

	sessions := map[string]session{"anonymous": {c: rg.browser()}}
	for _, name := range roleUsers[1:] {
		sessions[name] = rg.login(name)
	}
	shared := rg.seed(unitA, "zalo-oa", "Tôi cần hỏi giấy khai sinh cho cháu, mã bí mật A-7731")
	other := rg.seed(unitB, "telegram", "Hỏi về khai sinh ở Bến Thành")
	staticName := rg.staticName()

	for _, route := range routes {
		if public(route) {
			continue
		}
		rc := routeCases[route]
		method, pattern, _ := strings.Cut(route, " ")
		for _, role := range roleUsers {
			t.Run(route+" as "+role, func(t *testing.T) {
				tgt := target{chat: shared}
				if method == http.MethodPost {
					tgt = rg.freshTarget()
				}
				path := strings.ReplaceAll(rg.path(pattern, tgt), "{name}", staticName)
				want := map[string]int{"lan": rc.lan, "hoa": rc.hoa, "binh": rc.binh, "admin": rc.admin}[role]
				switch {
				case role == "anonymous" && method == http.MethodGet:
					want = see
				case role == "anonymous":
					want = http.StatusUnauthorized
				case role == "editor" && route == "GET /":
					want = see // to the editor console
				case role == "editor":
					want = forbid
				}
				s := sessions[role]
				var r response
				switch {
				case pattern == "/events":
					r = rg.peek(s.c, path)
				case method == http.MethodGet:
					r = rg.do(s.c, method, path, nil)
				default:
					form := rc.form(rg, tgt)
					form.Set("csrf", s.csrf)
					r = rg.do(s.c, method, path, form)
				}
				if r.status != want {
					t.Fatalf("%s %s as %s: %d, want %d\n%s", method, path, role, r.status, want, clip(r.body))
				}
				if role == "editor" && route == "GET /" && r.header.Get("Location") != "/console/kb" {
					t.Errorf("editor sent to %q, want /console/kb", r.header.Get("Location"))
				}
				if role == "anonymous" && method == http.MethodGet && !strings.HasPrefix(r.header.Get("Location"), "/console/login") {
					t.Errorf("anonymous GET sent to %q, want the login page", r.header.Get("Location"))
				}
				if role == "hoa" || role == "editor" || role == "anonymous" {
					for _, c := range []chat{shared, tgt.chat} {
						for _, secret := range []string{c.Ticket, c.Citizen, c.Summary, c.ID} {
							if secret == c.ID && role == "anonymous" {
								continue // the login redirect names the page asked for
							}
							if secret != "" && strings.Contains(r.body, secret) {
								t.Errorf("%s sees %q of unit A's chat in %s %s", role, secret, method, path)
							}
						}
					}
				}
				if role == "hoa" && pattern == "/" && !strings.Contains(r.body, other.Ticket) {
					t.Errorf("staff of B do not see their own chat %s in the queue", other.Ticket)
				}
			})
		}
	}
}

// freshTarget seeds a new chat of unit A, a canned reply of unit A and a
// user, so that each POST acts on a target in its first state.
func (rg *rig) freshTarget() target {
	rg.t.Helper()
	ctx := rg.t.Context()
	tgt := target{chat: rg.seed(unitA, "zalo-oa", fmt.Sprintf("Câu hỏi riêng %d của phường A", rg.clock.Now().UnixNano()))}
	if err := rg.desk.AddCanned(ctx, rg.users["binh"], unitA, "Mẫu", "Nội dung mẫu"); err != nil {
		rg.t.Fatal(err)
	}
	cs, err := rg.desk.Canned(ctx, rg.users["binh"])
	if err != nil || len(cs) == 0 {
		rg.t.Fatalf("canned: %v", err)
	}
	tgt.canned = cs[len(cs)-1].ID
	rg.made++
	u, err := rg.dir.Create(ctx, staff.NewUser{Username: fmt.Sprintf("nguoi-thu-%d", rg.made), Name: "Người Thử",
		Password: password, Role: staff.RoleStaff, Units: []string{unitA}})
	if err != nil {
		rg.t.Fatal(err)
	}
	tgt.user = u
	return tgt
}

// peek opens a stream and returns its status and first bytes.
func (rg *rig) peek(c *http.Client, path string) response {
	rg.t.Helper()
	ctx, cancel := context.WithTimeout(rg.t.Context(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rg.srv.URL+path, nil)
	resp, err := c.Do(req)
	if err != nil {
		rg.t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	return response{status: resp.StatusCode, header: resp.Header, body: string(buf[:n])}
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}
