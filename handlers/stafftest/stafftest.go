// Package stafftest is test support for the staff-side pages (login,
// console, editor, dashboard): a browser-like HTTP client, requests that
// read the whole answer, logging in through the real login form, and the
// gateway's own security headers (its CSP) around a page router, so that
// page tests run under the policy the gateway serves them with.
package stafftest

import (
	"database/sql"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// Response is an answer read whole.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Browser is a client with its own cookie jar that does not follow
// redirects (tests look at the 303s themselves).
func Browser(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Send makes one request (ctype "" : no Content-Type) with extra headers.
func Send(t testing.TB, c *http.Client, method, url, ctype string, body io.Reader, header map[string]string) Response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// Form sends form (nil: no body) as application/x-www-form-urlencoded.
func Form(t testing.TB, c *http.Client, method, url string, form url.Values, header map[string]string) Response {
	t.Helper()
	if form == nil {
		return Send(t, c, method, url, "", nil, header)
	}
	return Send(t, c, method, url, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), header)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF is the first form's CSRF token in a page ("" when none).
func CSRF(body string) string {
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// LoginForm opens the login page under base (…/console/login) and posts
// username and password with its CSRF token and next; it returns the
// answer to the post (303 on success).
func LoginForm(t testing.TB, c *http.Client, base, username, password, next string) Response {
	t.Helper()
	r := Send(t, c, http.MethodGet, base+"/console/login", "", nil, nil)
	tok := CSRF(r.Body)
	if r.Status != http.StatusOK || tok == "" {
		t.Fatalf("GET /console/login: %d %s", r.Status, r.Body)
	}
	form := url.Values{"csrf": {tok}, "username": {username}, "password": {password}}
	if next != "" {
		form.Set("next", next)
	}
	return Form(t, c, http.MethodPost, base+"/console/login", form, nil)
}

// Login is a new browser logged in as username (the login must succeed).
func Login(t testing.TB, base, username, password string) *http.Client {
	t.Helper()
	c := Browser(t)
	if r := LoginForm(t, c, base, username, password, ""); r.Status != http.StatusSeeOther {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	return c
}

// WithSecurityHeaders serves h behind the gateway's security headers,
// its Content-Security-Policy included.
func WithSecurityHeaders(h http.Handler) http.Handler { return handlers.SecurityHeaders(h) }

// Directory is a staff directory on db (bcrypt at its cheapest, clock
// now) holding people, each with password; it returns them by username.
// Unit codes are checked as the gateway checks them, against the seed's
// new HCMC units.
func Directory(t testing.TB, db *sql.DB, now func() time.Time, password string, people ...staff.NewUser) (*staff.Directory, map[string]staff.User) {
	t.Helper()
	kb, err := seedKB()
	if err != nil {
		t.Fatal(err)
	}
	st, err := staffstore.New(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := staff.New(st, staff.Config{Now: now, BcryptCost: bcrypt.MinCost, CheckUnit: kb.CheckHCMCUnit})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]staff.User{}
	for _, nu := range people {
		nu.Password = password
		u, err := dir.Create(t.Context(), nu)
		if err != nil {
			t.Fatal(err)
		}
		users[u.Username] = u
	}
	return dir, users
}

// seedKB is the seed knowledge base, loaded once (read-only).
var seedKB = sync.OnceValues(seed.Load)

// Routes lists a router's routes as "METHOD /path" (no trailing slash),
// sorted, for tests that must cover every route.
func Routes(t testing.TB, router chi.Router) []string {
	t.Helper()
	var routes []string
	err := chi.Walk(router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.TrimSuffix(route, "/")
		if route == "" {
			route = "/"
		}
		routes = append(routes, method+" "+route)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(routes)
	return routes
}
