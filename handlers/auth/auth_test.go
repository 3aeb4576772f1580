package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/go-chi/chi/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

const password = "mat-khau-dai-1"

// clock is an injectable, advanceable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer collects the log safely across the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// rig is a console served the way the gateway mounts it: auth's routes at
// /console plus a few guarded pages, over a real SQLite staff directory.
type rig struct {
	t     *testing.T
	srv   *httptest.Server
	dir   *staff.Directory
	clock *clock
	log   *syncBuffer
}

func newRig(t *testing.T) *rig {
	t.Helper()
	db := sqldbtest.Open(t)
	c := &clock{t: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)}
	dir, _ := stafftest.Directory(t, db, c.Now, password,
		staff.NewUser{Username: "lan", Name: "Nguyễn Thị Lan", Role: staff.RoleStaff, Units: []string{"26740"}},
		staff.NewUser{Username: "binh", Name: "Trần Văn Bình", Role: staff.RoleSupervisor, Units: []string{"26740"}})
	logs := &syncBuffer{}
	a, err := auth.New(auth.Config{Sessions: dir, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	console := a.Routes()
	console.Group(func(r chi.Router) {
		r.Use(a.Require)
		r.Get("/", func(w http.ResponseWriter, r *http.Request) {
			u, _ := auth.UserFrom(r.Context())
			fmt.Fprintf(w, "xin chào %s csrf=%s", u.Name, auth.CSRFFrom(r.Context()))
		})
		r.HandleFunc("/claim", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "claimed") })
		r.With(auth.RequireRole(staff.User.CanSeeReports)).Get("/reports", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "báo cáo")
		})
	})
	// Behind a 1 KB body limit: the plain Require, and RequireOr's page.
	limit := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
			next.ServeHTTP(w, r)
		})
	}
	tooLarge := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := auth.UserFrom(r.Context())
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		fmt.Fprintf(w, "tệp quá lớn, %s", u.Name)
	})
	ok := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "đã nhận ", len(r.PostFormValue("data")))
	}
	console.With(limit, a.Require).Post("/small", ok)
	console.With(limit, a.RequireOr(tooLarge)).Post("/upload", ok)
	root := chi.NewRouter()
	root.Use(stafftest.WithSecurityHeaders)
	root.Mount("/console", console)
	srv := httptest.NewServer(root)
	t.Cleanup(srv.Close)
	return &rig{t: t, srv: srv, dir: dir, clock: c, log: logs}
}

// browser is a client with its own cookie jar that does not follow redirects.
func (rg *rig) browser() *http.Client { return stafftest.Browser(rg.t) }

type response struct {
	status int
	header http.Header
	body   string
}

func (rg *rig) do(c *http.Client, method, path string, form url.Values, header map[string]string) response {
	rg.t.Helper()
	r := stafftest.Form(rg.t, c, method, rg.srv.URL+path, form, header)
	return response{status: r.Status, header: r.Header, body: r.Body}
}

// loginForm opens the login page and returns its CSRF token.
func (rg *rig) loginForm(c *http.Client) string {
	rg.t.Helper()
	r := rg.do(c, http.MethodGet, "/console/login", nil, nil)
	tok := stafftest.CSRF(r.body)
	if r.status != http.StatusOK || tok == "" {
		rg.t.Fatalf("GET /console/login: %d %s", r.status, r.body)
	}
	return tok
}

// login fills in and submits the login form.
func (rg *rig) login(c *http.Client, username, pw, next string) response {
	rg.t.Helper()
	r := stafftest.LoginForm(rg.t, c, rg.srv.URL, username, pw, next)
	return response{status: r.Status, header: r.Header, body: r.Body}
}

// loggedIn is a browser with a live session of username, and its CSRF token.
func (rg *rig) loggedIn(username string) (*http.Client, string) {
	rg.t.Helper()
	c := rg.browser()
	if r := rg.login(c, username, password, ""); r.status != http.StatusSeeOther {
		rg.t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	r := rg.do(c, http.MethodGet, "/console/", nil, nil)
	i := strings.Index(r.body, "csrf=")
	if r.status != http.StatusOK || i < 0 {
		rg.t.Fatalf("GET /console/ after login: %d %s", r.status, r.body)
	}
	return c, r.body[i+len("csrf="):]
}

func sessionCookie(h http.Header) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "hp_session" {
			return c
		}
	}
	return nil
}

func TestLoginFlow(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	c := rg.browser()

	r := rg.do(c, http.MethodGet, "/console/reports?tuan=1", nil, nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/login?next=%2Fconsole%2Freports%3Ftuan%3D1" {
		t.Fatalf("GET guarded page without a session: %d Location %q", r.status, r.header.Get("Location"))
	}
	page := rg.do(c, http.MethodGet, "/console/login?next=%2Fconsole%2Freports%3Ftuan%3D1", nil, nil)
	for _, want := range []string{"Đăng nhập cán bộ", "Tên đăng nhập", "Mật khẩu", `name="next" value="/console/reports?tuan=1"`,
		`lang="vi"`, `name="viewport"`, `autocomplete="current-password"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	if page.header.Get("Cache-Control") != "no-store" {
		t.Errorf("login page Cache-Control %q", page.header.Get("Cache-Control"))
	}
	css := regexp.MustCompile(`href="(/console/auth\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(page.body)
	if css == nil {
		t.Fatal("login page has no hashed stylesheet")
	}
	if s := rg.do(c, http.MethodGet, css[1], nil, nil); s.status != http.StatusOK ||
		!strings.HasPrefix(s.header.Get("Content-Type"), "text/css") || !strings.Contains(s.body, "max-width") {
		t.Errorf("stylesheet: %d %q", s.status, s.header.Get("Content-Type"))
	}

	tok := stafftest.CSRF(page.body)
	r = rg.do(c, http.MethodPost, "/console/login",
		url.Values{"csrf": {tok}, "username": {"binh"}, "password": {password}, "next": {"/console/reports?tuan=1"}}, nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/reports?tuan=1" {
		t.Fatalf("POST login: %d Location %q body %s", r.status, r.header.Get("Location"), r.body)
	}
	sc := sessionCookie(r.header)
	if sc == nil || sc.Value == "" || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/console" || sc.Secure {
		t.Fatalf("session cookie %+v", sc)
	}
	if r = rg.do(c, http.MethodGet, "/console/reports?tuan=1", nil, nil); r.status != http.StatusOK || r.body != "báo cáo" {
		t.Errorf("guarded page after login: %d %s", r.status, r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("guarded page Cache-Control %q", r.header.Get("Cache-Control"))
	}
	// The login page of a logged-in browser goes straight on.
	if r = rg.do(c, http.MethodGet, "/console/login", nil, nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/console" {
		t.Errorf("login page when logged in: %d %q", r.status, r.header.Get("Location"))
	}
	// Neither the password nor the session token is logged.
	if logs := rg.log.String(); strings.Contains(logs, password) || strings.Contains(logs, sc.Value) || !strings.Contains(logs, "staff login") {
		t.Errorf("log: %s", logs)
	}
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := sqldbtest.Open(t)
	st, err := staffstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := staff.New(st, staff.Config{BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dir.Create(ctx, staff.NewUser{Username: "lan", Name: "Lan", Password: password, Role: staff.RoleEditor}); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{Sessions: dir, SecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	h := a.Routes()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/login", nil))
	tok := stafftest.CSRF(w.Body.String())
	req := httptest.NewRequest(http.MethodPost, "/login",
		strings.NewReader(url.Values{"csrf": {tok}, "username": {"lan"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "hp_login_csrf", Value: tok})
	w2 := httptest.NewRecorder()
	h.ServeHTTP(w2, req)
	if sc := sessionCookie(w2.Header()); w2.Code != http.StatusSeeOther || sc == nil || !sc.Secure {
		t.Errorf("login over https: %d, cookie %+v", w2.Code, sc)
	}
	for _, c := range w.Result().Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s not Secure", c.Name)
		}
	}
}

func TestLoginErrors(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	tests := []struct {
		name, username, pw string
		status             int
		message            string
	}{
		{"wrong password", "lan", "sai-mat-khau-1", http.StatusUnauthorized, "Sai tên đăng nhập hoặc mật khẩu."},
		{"unknown user", "khong-co", password, http.StatusUnauthorized, "Sai tên đăng nhập hoặc mật khẩu."},
		{"empty password", "lan", "", http.StatusBadRequest, "Vui lòng nhập tên đăng nhập và mật khẩu."},
	}
	for _, tt := range tests {
		c := rg.browser()
		r := rg.login(c, tt.username, tt.pw, "")
		if r.status != tt.status || !strings.Contains(r.body, tt.message) || sessionCookie(r.header) != nil {
			t.Errorf("%s: %d, cookie %v, body %s", tt.name, r.status, sessionCookie(r.header), r.body)
		}
		if !strings.Contains(r.body, `value="`+tt.username+`"`) {
			t.Errorf("%s: username not kept in the form", tt.name)
		}
	}
}

func TestLoginLockoutMessage(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	c := rg.browser()
	for i := range staff.DefaultMaxFailures - 1 {
		if r := rg.login(c, "lan", "sai-mat-khau-1", ""); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, r.status)
		}
	}
	// Locked at 08:00 UTC for 15 minutes: 15:15 in Ho Chi Minh City.
	want := "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Thử lại sau 15:15."
	for _, pw := range []string{"sai-mat-khau-1", password} {
		r := rg.login(c, "lan", pw, "")
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, want) || sessionCookie(r.header) != nil {
			t.Errorf("locked, password %q: %d %s", pw, r.status, r.body)
		}
	}
	rg.clock.Advance(staff.DefaultLockFor)
	if r := rg.login(c, "lan", password, ""); r.status != http.StatusSeeOther {
		t.Errorf("after the lock: %d %s", r.status, r.body)
	}
}

func TestLoginFormCSRF(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	form := func(tok string) url.Values {
		return url.Values{"csrf": {tok}, "username": {"lan"}, "password": {password}}
	}
	// No cookie, no field.
	r := rg.do(rg.browser(), http.MethodPost, "/console/login", form(""), nil)
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "Phiên đăng nhập đã hết hạn") || sessionCookie(r.header) != nil {
		t.Errorf("no token: %d %s", r.status, r.body)
	}
	// A cookie, and a field that does not match it (a forged form).
	c := rg.browser()
	tok := rg.loginForm(c)
	forged := "A" + tok[1:]
	if forged == tok {
		forged = "B" + tok[1:]
	}
	r = rg.do(c, http.MethodPost, "/console/login", form(forged), nil)
	if r.status != http.StatusForbidden || sessionCookie(r.header) != nil {
		t.Errorf("wrong token: %d", r.status)
	}
	// The re-rendered form carries a fresh token that works.
	fresh := stafftest.CSRF(r.body)
	if fresh == tok {
		t.Error("token not renewed after a mismatch")
	}
	if r = rg.do(c, http.MethodPost, "/console/login", form(fresh), nil); r.status != http.StatusSeeOther {
		t.Errorf("fresh token: %d %s", r.status, r.body)
	}
}

func TestRequire(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	anon := rg.browser()
	tests := []struct {
		name     string
		method   string
		header   map[string]string
		status   int
		location string
		body     string
	}{
		{"GET redirects", http.MethodGet, nil, http.StatusSeeOther, "/console/login?next=%2Fconsole%2Fclaim", ""},
		{"HEAD redirects", http.MethodHead, nil, http.StatusSeeOther, "/console/login?next=%2Fconsole%2Fclaim", ""},
		{"POST 401", http.MethodPost, nil, http.StatusUnauthorized, "", "Bạn cần đăng nhập"},
		{"POST JSON 401", http.MethodPost, map[string]string{"Accept": "application/json"}, http.StatusUnauthorized, "", `"code":"unauthorized"`},
		{"DELETE 401", http.MethodDelete, nil, http.StatusUnauthorized, "", ""},
		{"bad cookie GET", http.MethodGet, map[string]string{"Cookie": "hp_session=forged"}, http.StatusSeeOther, "/console/login?next=%2Fconsole%2Fclaim", ""},
	}
	for _, tt := range tests {
		r := rg.do(anon, tt.method, "/console/claim", nil, tt.header)
		if r.status != tt.status || r.header.Get("Location") != tt.location || !strings.Contains(r.body, tt.body) {
			t.Errorf("%s: %d Location %q body %s", tt.name, r.status, r.header.Get("Location"), r.body)
		}
	}
	if r := rg.do(anon, http.MethodGet, "/console/", nil, map[string]string{"Cookie": "hp_session=forged"}); sessionCookie(r.header) == nil ||
		sessionCookie(r.header).MaxAge >= 0 {
		t.Error("a forged session cookie is not cleared")
	}
}

func TestRequireCSRF(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	c, tok := rg.loggedIn("lan")
	tests := []struct {
		name   string
		form   url.Values
		header map[string]string
		status int
	}{
		{"missing", url.Values{"x": {"1"}}, nil, http.StatusForbidden},
		{"empty field", url.Values{"csrf": {""}}, nil, http.StatusForbidden},
		{"wrong field", url.Values{"csrf": {tok + "x"}}, nil, http.StatusForbidden},
		{"wrong header", nil, map[string]string{"X-CSRF-Token": "nope"}, http.StatusForbidden},
		{"other session's token", url.Values{"csrf": {func() string { _, t2 := rg.loggedIn("binh"); return t2 }()}}, nil, http.StatusForbidden},
		{"right field", url.Values{"csrf": {tok}}, nil, http.StatusOK},
		{"right header", nil, map[string]string{"X-CSRF-Token": tok}, http.StatusOK},
	}
	for _, tt := range tests {
		r := rg.do(c, http.MethodPost, "/console/claim", tt.form, tt.header)
		if r.status != tt.status {
			t.Errorf("%s: %d %s", tt.name, r.status, r.body)
		}
		if tt.status == http.StatusForbidden && !strings.Contains(r.body, "Yêu cầu không hợp lệ") {
			t.Errorf("%s: body %s", tt.name, r.body)
		}
	}
	r := rg.do(c, http.MethodPost, "/console/claim", nil, map[string]string{"Accept": "application/json"})
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil || r.status != http.StatusForbidden || body.Error.Code != auth.CodeCSRF {
		t.Errorf("JSON without token: %d %s", r.status, r.body)
	}
}

// A form over the body limit set before Require cannot be read for its
// CSRF token: Require answers 413 with a Vietnamese page (not a CSRF
// refusal), RequireOr the route's own page, with the user known; a small
// form still goes through.
func TestRequireBodyTooLarge(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	c, tok := rg.loggedIn("lan")
	big, small := url.Values{"csrf": {tok}, "data": {strings.Repeat("x", 2<<10)}}, url.Values{"csrf": {tok}, "data": {"x"}}
	tests := []struct {
		path   string
		form   url.Values
		status int
		body   string
	}{
		{"/console/small", big, http.StatusRequestEntityTooLarge, "Dữ liệu hoặc tệp gửi lên quá lớn."},
		{"/console/upload", big, http.StatusRequestEntityTooLarge, "tệp quá lớn, Nguyễn Thị Lan"},
		{"/console/small", small, http.StatusOK, "đã nhận 1"},
		{"/console/upload", small, http.StatusOK, "đã nhận 1"},
	}
	for _, tt := range tests {
		r := rg.do(c, http.MethodPost, tt.path, tt.form, nil)
		if r.status != tt.status || !strings.Contains(r.body, tt.body) {
			t.Errorf("%s, %d bytes: %d %s", tt.path, len(tt.form.Encode()), r.status, r.body)
		}
	}
}

func TestOpenRedirect(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	tests := []struct{ next, want string }{
		{"//evil.com", "/console"},
		{"https://evil", "/console"},
		{"http://evil.com/console", "/console"},
		{"/\\evil.com", "/console"},
		{"\\\\evil.com", "/console"},
		{"javascript:alert(1)", "/console"},
		{"evil.com", "/console"},
		{"/console/../evil", "/console"},
		{"/", "/console"},
		{"/admin", "/console"},
		{"/consolex", "/console"},
		{"/console\r\nLocation: //evil", "/console"},
		{"", "/console"},
		{"/console/queue/26734?tab=mine", "/console/queue/26734?tab=mine"},
	}
	for _, tt := range tests {
		c := rg.browser()
		r := rg.login(c, "lan", password, tt.next)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != tt.want {
			t.Errorf("next=%q: %d Location %q, want %q", tt.next, r.status, r.header.Get("Location"), tt.want)
		}
		// The login page of a logged-in browser follows the same rule.
		r = rg.do(c, http.MethodGet, "/console/login?next="+url.QueryEscape(tt.next), nil, nil)
		if r.header.Get("Location") != tt.want {
			t.Errorf("GET login next=%q: Location %q, want %q", tt.next, r.header.Get("Location"), tt.want)
		}
	}
}

func TestRequireRole(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	lan, _ := rg.loggedIn("lan")
	r := rg.do(lan, http.MethodGet, "/console/reports", nil, nil)
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "Bạn không có quyền truy cập trang này.") ||
		!strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("staff on reports: %d %s", r.status, r.body)
	}
	if r := rg.do(lan, http.MethodGet, "/console/reports", nil, map[string]string{"Accept": "application/json"}); r.status != http.StatusForbidden ||
		!strings.Contains(r.body, `"code":"forbidden"`) {
		t.Errorf("staff on reports, JSON: %d %s", r.status, r.body)
	}
	binh, _ := rg.loggedIn("binh")
	if r := rg.do(binh, http.MethodGet, "/console/reports", nil, nil); r.status != http.StatusOK {
		t.Errorf("supervisor on reports: %d", r.status)
	}
	// Without Require in front there is no user: refused.
	h := auth.RequireRole(staff.User.CanSeeReports)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("reached") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/console/reports", nil))
	if w.Code != http.StatusForbidden {
		t.Errorf("no user: %d", w.Code)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	c, tok := rg.loggedIn("lan")
	u, _ := url.Parse(rg.srv.URL + "/console/")
	old := c.Jar.Cookies(u)

	if r := rg.do(c, http.MethodPost, "/console/logout", url.Values{}, nil); r.status != http.StatusForbidden {
		t.Errorf("logout without CSRF: %d", r.status)
	}
	r := rg.do(c, http.MethodPost, "/console/logout", url.Values{"csrf": {tok}}, nil)
	if sc := sessionCookie(r.header); r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/login" || sc == nil || sc.MaxAge >= 0 {
		t.Fatalf("logout: %d %q cookie %+v", r.status, r.header.Get("Location"), sc)
	}
	if r := rg.do(c, http.MethodGet, "/console/", nil, nil); r.status != http.StatusSeeOther {
		t.Errorf("after logout: %d", r.status)
	}
	// The old cookie, replayed, is dead on the server too.
	replay := rg.browser()
	replay.Jar.SetCookies(u, old)
	if r := rg.do(replay, http.MethodGet, "/console/", nil, nil); r.status != http.StatusSeeOther {
		t.Errorf("replayed cookie after logout: %d", r.status)
	}
	// Logging out without a session just clears the cookie.
	if r := rg.do(rg.browser(), http.MethodPost, "/console/logout", nil, nil); r.status != http.StatusSeeOther {
		t.Errorf("logout without session: %d", r.status)
	}
}

// Sessions end on the server's terms: a disabled user is logged out.
func TestDisabledUserLosesSession(t *testing.T) {
	t.Parallel()
	rg := newRig(t)
	c, _ := rg.loggedIn("lan")
	u, err := rg.dir.ByUsername(context.Background(), "lan")
	if err != nil {
		t.Fatal(err)
	}
	if err := rg.dir.Update(context.Background(), u.ID, staff.UserUpdate{Name: u.Name, Role: u.Role, Units: u.Units, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	if r := rg.do(c, http.MethodGet, "/console/", nil, nil); r.status != http.StatusSeeOther {
		t.Errorf("disabled user: %d", r.status)
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	if _, err := auth.New(auth.Config{}); err == nil {
		t.Error("New without Sessions succeeded")
	}
	rg := newRig(t)
	a, err := auth.New(auth.Config{Sessions: rg.dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := chi.Walk(a.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.HasPrefix(route, "/auth.") {
			got = append(got, method+" "+route)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := "GET /login,POST /login,POST /logout"
	if strings.Join(got, ",") != want {
		t.Errorf("routes %v, want %s", got, want)
	}
}
