package console_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/console"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

const (
	password = "mat-khau-dai-1"
	unitA    = "26740"
	unitB    = "26743"
)

// catalog is a small knowledge base: two wards (or, withAllUnits, the
// seed's 168) and one procedure.
type catalog struct{ units []bot.UnitRef }

var units = []bot.UnitRef{{Code: unitA, Name: "Phường Sài Gòn"}, {Code: unitB, Name: "Phường Bến Thành"}}

func (c catalog) Unit(code string) (string, bool) {
	for _, u := range c.Units() {
		if u.Code == code {
			return u.Name, true
		}
	}
	return "", false
}
func (c catalog) Units() []bot.UnitRef {
	if c.units == nil {
		return units
	}
	return c.units
}
func (catalog) Procedure(id string) (string, bool) {
	if id == "khai-sinh" {
		return "Đăng ký khai sinh", true
	}
	return "", false
}

// courier records what the desk delivers to citizens' channels.
type courier struct {
	mu   sync.Mutex
	sent []delivery
}

type delivery struct {
	Channel, ExternalID, Key string
	Answer                   bot.Answer
}

func (c *courier) Deliver(_ context.Context, channel, externalID, key string, a bot.Answer) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, delivery{channel, externalID, key, a})
	return nil
}

func (c *courier) all() []delivery {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]delivery(nil), c.sent...)
}

// clock is an injected time: a Tuesday 09:00 in Ho Chi Minh City, in
// office hours.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // distinct, ordered instants
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// rig is the console mounted at /console the way the gateway mounts it,
// over real SQLite, the real staff directory and a real desk.
type rig struct {
	t       *testing.T
	srv     *httptest.Server
	router  chi.Router
	st      *store.Store
	dir     *staff.Directory
	desk    *handoff.Desk
	courier *courier
	clock   *clock
	users   map[string]staff.User
	made    int // targets made so far (fresh usernames)
}

// The users of the rig, by username.
var people = []staff.NewUser{
	{Username: "editor", Name: "Biên Tập Viên", Role: staff.RoleEditor},
	{Username: "lan", Name: "Nguyễn Thị Lan", Role: staff.RoleStaff, Units: []string{unitA}},
	{Username: "minh", Name: "Lê Văn Minh", Role: staff.RoleStaff, Units: []string{unitA}, MaxChats: 1},
	{Username: "hoa", Name: "Phạm Thị Hoa", Role: staff.RoleStaff, Units: []string{unitB}},
	{Username: "binh", Name: "Trần Văn Bình", Role: staff.RoleSupervisor, Units: []string{unitA}},
	{Username: "admin", Name: "Quản Trị Thành Phố", Role: staff.RoleCityAdmin},
}

// rigOption changes the desk's configuration.
type rigOption func(t *testing.T, cfg *handoff.Config)

// withAllUnits makes the transfer targets the seed's 168 HCMC units.
func withAllUnits(t *testing.T, cfg *handoff.Config) {
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	var all []bot.UnitRef
	for _, u := range kb.Units {
		if u.InHCMC() {
			all = append(all, bot.UnitRef{Code: u.Code, Name: u.Name})
		}
	}
	cfg.Catalog = catalog{units: all}
}

func newRig(t *testing.T, opts ...rigOption) *rig {
	t.Helper()
	ctx := t.Context()
	db := sqldbtest.Open(t)
	t.Cleanup(func() { _ = db.Close() })
	clk := &clock{t: time.Date(2025, 7, 1, 2, 0, 0, 0, time.UTC)} // 09:00 ICT
	st, err := store.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	st.Now = clk.Now
	dir, users := stafftest.Directory(t, db, clk.Now, password, people...)
	rg := &rig{t: t, st: st, dir: dir, courier: &courier{}, clock: clk, users: users}
	cfg := handoff.Config{Store: st, Catalog: catalog{}, Courier: rg.courier, Now: clk.Now, Roster: dir}
	for _, o := range opts {
		o(t, &cfg)
	}
	rg.desk, err = handoff.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	a, err := auth.New(auth.Config{Sessions: dir, Logger: logger, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	c, err := console.New(console.Config{Desk: rg.desk, Staff: dir, Auth: a, Logger: logger, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	rg.router = c.Routes()
	root := chi.NewRouter()
	root.Mount("/console", rg.router)
	rg.srv = httptest.NewServer(root)
	t.Cleanup(rg.srv.Close)
	return rg
}

// chat is a seeded conversation in a queue.
type chat struct {
	ID, Ticket, Citizen, Summary, ExternalID string
}

// seed makes a citizen's conversation on channel that the bot answered
// and then handed to unit's queue.
func (rg *rig) seed(unit, channel, question string) chat {
	rg.t.Helper()
	ctx := rg.t.Context()
	ext := fmt.Sprintf("ext-%d", rg.clock.Now().UnixNano())
	id, err := rg.st.Create(ctx, channel, ext)
	if err != nil {
		rg.t.Fatal(err)
	}
	name := rg.desk.UnitName(unit)
	ref := &bot.UnitRef{Code: unit, Name: name}
	state := bot.State{Unit: ref, ProcedureID: "khai-sinh", Street: "12 Lê Lợi", OldPlace: "Phường Bến Nghé, Quận 1"}
	in, _, err := rg.st.AppendInbound(ctx, id, bot.Message{Text: question}, "")
	if err != nil {
		rg.t.Fatal(err)
	}
	answer := bot.Answer{Kind: bot.KindAnswer, Text: "Việc đăng ký khai sinh do " + name + " giải quyết.", Unit: ref,
		Procedure: &bot.ProcedureRef{ID: "khai-sinh", Name: "Đăng ký khai sinh"}}
	if err := rg.st.SaveReply(ctx, id, in, answer, state); err != nil {
		rg.t.Fatal(err)
	}
	ask, _, err := rg.st.AppendInbound(ctx, id, bot.Message{Text: "Cho tôi gặp cán bộ"}, "")
	if err != nil {
		rg.t.Fatal(err)
	}
	tk, err := rg.desk.Enqueue(ctx, id, state, ask, bot.ReasonRequested)
	if err != nil {
		rg.t.Fatal(err)
	}
	h, err := rg.st.ActiveHandoff(ctx, id)
	if err != nil {
		rg.t.Fatal(err)
	}
	return chat{ID: id, Ticket: tk.Number, Citizen: question, Summary: h.Summary, ExternalID: ext}
}

// browser is a client with its own cookies that does not follow redirects.
func (rg *rig) browser() *http.Client { return stafftest.Browser(rg.t) }

type response struct {
	status int
	header http.Header
	body   string
}

func (rg *rig) do(c *http.Client, method, path string, form url.Values) response {
	rg.t.Helper()
	r := stafftest.Form(rg.t, c, method, rg.srv.URL+path, form, nil)
	return response{status: r.Status, header: r.Header, body: r.Body}
}

// session is a logged-in browser and its CSRF token.
type session struct {
	c    *http.Client
	csrf string
}

// login logs username in through the login form.
func (rg *rig) login(username string) session {
	rg.t.Helper()
	c := stafftest.Login(rg.t, rg.srv.URL, username, password)
	// The session's token is in every console page (the logout form).
	r := rg.do(c, http.MethodGet, "/console/canned", nil)
	if tok := stafftest.CSRF(r.body); tok != "" {
		return session{c: c, csrf: tok}
	}
	// editors see no console page: read the token from the session itself
	return session{c: c, csrf: rg.csrfOf(c)}
}

// csrfOf finds the CSRF token of a session that sees no console page.
func (rg *rig) csrfOf(c *http.Client) string {
	u, _ := url.Parse(rg.srv.URL + "/console")
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "hp_session" {
			s, err := rg.dir.Session(rg.t.Context(), ck.Value)
			if err != nil {
				rg.t.Fatal(err)
			}
			return s.CSRF
		}
	}
	rg.t.Fatal("no session cookie")
	return ""
}

func (s session) post(rg *rig, path string, form url.Values) response {
	rg.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", s.csrf)
	return rg.do(s.c, http.MethodPost, path, form)
}

func (s session) get(rg *rig, path string) response {
	rg.t.Helper()
	return rg.do(s.c, http.MethodGet, path, nil)
}

func botMessage(text string) bot.Message { return bot.Message{Text: text} }
