package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/go-chi/chi/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/dashboard"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

const password = "mat-khau-dai-1"

// now is 10:00 on 1 July 2025 in Vietnam.
var now = time.Date(2025, 7, 1, 3, 0, 0, 0, time.UTC)

// shapes are the 168 units' real boundaries (the KB's), read once.
var shapes = sync.OnceValue(func() []geo.Shape {
	ix, err := geo.New(seed.Geo())
	if err != nil {
		panic(err)
	}
	return ix.Shapes()
})

// catalog is HCMC's 168 units (from the boundaries: real codes and names)
// and three procedures.
type catalog struct{ units []bot.UnitRef }

func newCatalog() catalog {
	c := catalog{}
	for _, s := range shapes() {
		c.units = append(c.units, bot.UnitRef{Code: s.Code, Name: s.Name})
	}
	return c
}

func (c catalog) Unit(code string) (string, bool) {
	for _, u := range c.units {
		if u.Code == code {
			return u.Name, true
		}
	}
	return "", false
}
func (c catalog) Units() []bot.UnitRef { return c.units }
func (catalog) Procedure(id string) (string, bool) {
	name, ok := map[string]string{"khai-sinh": "Đăng ký khai sinh", "ket-hon": "Đăng ký kết hôn",
		"cu-tru": "Đăng ký thường trú", "cong-thuc": `=HYPERLINK("http://x")`}[id]
	return name, ok
}

// rig is the dashboard mounted the way the gateway mounts it, over real
// SQLite: the staff directory, the bot store and a handoff desk.
type rig struct {
	t     testing.TB
	srv   *httptest.Server
	dir   *staff.Directory
	st    *store.Store
	cat   catalog
	at    time.Time // the store's clock
	now   time.Time // everyone else's clock: now unless a test moves it
	users map[string]staff.User
}

func newRig(t testing.TB) *rig {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.Open(t)
	t.Cleanup(func() { _ = db.Close() })
	r := &rig{t: t, cat: newCatalog(), users: map[string]staff.User{}, now: now}
	clock := func() time.Time { return r.now }
	st, err := staffstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	r.dir, err = staff.New(st, staff.Config{Now: clock, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	r.st, err = store.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	r.st.Now = func() time.Time { return r.at }
	desk, err := handoff.New(handoff.Config{Store: r.st, Catalog: r.cat, Now: clock, Roster: r.dir})
	if err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(auth.Config{Sessions: r.dir, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	d, err := dashboard.New(dashboard.Config{Desk: desk, Auth: a, Shapes: shapes(), Now: clock, Staffing: desk})
	if err != nil {
		t.Fatal(err)
	}
	for _, nu := range []staff.NewUser{
		{Username: "admin", Name: "Lê Quản Trị", Role: staff.RoleCityAdmin},
		{Username: "binh", Name: "Trần Văn Bình", Role: staff.RoleSupervisor, Units: []string{r.code(0), r.code(1)}},
		{Username: "lan", Name: "Nguyễn Thị Lan", Role: staff.RoleStaff, Units: []string{r.code(0)}},
		{Username: "editor", Name: "Phạm Biên Tập", Role: staff.RoleEditor},
	} {
		nu.Password = password
		u, err := r.dir.Create(ctx, nu)
		if err != nil {
			t.Fatal(err)
		}
		r.users[nu.Username] = u
	}
	root := chi.NewRouter()
	root.Use(csp)
	root.Mount("/console", a.Routes())
	root.Mount(dashboard.BasePath, d.Routes())
	r.srv = httptest.NewServer(root)
	t.Cleanup(r.srv.Close)
	return r
}

// csp is the gateway's Content-Security-Policy (handlers.securityHeaders):
// the page must work without inline script or style.
func csp(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "+
			"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// code and name are the i-th unit's.
func (r *rig) code(i int) string { return r.cat.units[i].Code }
func (r *rig) name(i int) string { return r.cat.units[i].Name }

// session logs username in and returns its session cookie.
func (r *rig) session(username string) *http.Cookie {
	r.t.Helper()
	s, err := r.dir.Login(context.Background(), username, password)
	if err != nil {
		r.t.Fatal(err)
	}
	return &http.Cookie{Name: "hp_session", Value: s.Token}
}

// get requests path as username ("": anonymous) without following redirects.
func (r *rig) get(username, path string, header ...string) *http.Response {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodGet, r.srv.URL+path, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	if username != "" {
		req.AddCookie(r.session(username))
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { _ = res.Body.Close() })
	return res
}

// talk stores a conversation about unit ("": none) with one question the
// bot answered with kind, at when.
func (r *rig) talk(when time.Time, unit, text string, kind bot.Kind) (string, int64) {
	r.t.Helper()
	ctx := context.Background()
	r.at = when
	id, err := r.st.Create(ctx, "web", "")
	if err != nil {
		r.t.Fatal(err)
	}
	in, _, err := r.st.AppendInbound(ctx, id, bot.Message{Text: text}, "")
	if err != nil {
		r.t.Fatal(err)
	}
	st := bot.State{Mode: bot.ModeBot}
	if unit != "" {
		st.Unit = &bot.UnitRef{Code: unit}
	}
	if err := r.st.SaveReply(ctx, id, in, bot.Answer{Kind: kind, Text: "…"}, st); err != nil {
		r.t.Fatal(err)
	}
	return id, in
}

// queue opens a handoff at unit at when (SLA: 5 minutes).
func (r *rig) queue(when time.Time, unit, proc string) int64 {
	r.t.Helper()
	id, in := r.talk(when, unit, "gặp cán bộ", bot.KindHandoff)
	h, _, err := r.st.OpenHandoff(context.Background(), store.NewHandoff{ConversationID: id, MessageID: in,
		Reason: bot.ReasonRequested, UnitCode: unit, ProcedureID: proc, DueAt: when.Add(5 * time.Minute)})
	if err != nil {
		r.t.Fatal(err)
	}
	return h.ID
}

// seed fills the morning: queues at a few units, a rated chat, questions
// the bot could not answer.
func (r *rig) seed() {
	r.t.Helper()
	ctx := context.Background()
	procs := []string{"khai-sinh", "ket-hon", "cu-tru", ""}
	for i := range 14 {
		unit := r.code(i % 5)
		if i%7 == 6 {
			unit = staff.CityQueue
		}
		r.queue(now.Add(-time.Duration(3+i*9)*time.Minute), unit, procs[i%len(procs)])
	}
	r.queue(now.Add(-2*time.Minute), r.code(1), "khai-sinh") // not yet due
	for i := range 30 {
		r.talk(now.Add(-time.Duration(i*7)*time.Minute), r.code(i%6), "thủ tục gì vậy", bot.KindAnswer)
	}
	h := r.queue(now.Add(-50*time.Minute), r.code(0), "ket-hon")
	by := store.Actor{ID: r.users["lan"].ID, Name: "Lan"}
	r.at = now.Add(-48 * time.Minute)
	if err := r.st.Claim(ctx, h, by, 0); err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.st.StaffReply(ctx, h, by, bot.Answer{Kind: bot.KindStaff, Text: "Dạ"}); err != nil {
		r.t.Fatal(err)
	}
	r.at = now.Add(-40 * time.Minute)
	hh, _ := r.st.HandoffByID(ctx, h)
	if err := r.st.Close(ctx, h, "resolved", bot.ModeClosed, by); err != nil {
		r.t.Fatal(err)
	}
	if err := r.st.Rate(ctx, hh.ConversationID, 4); err != nil {
		r.t.Fatal(err)
	}
	for i, text := range []string{"Giá vàng hôm nay?", "gia vang hom nay", "Xổ số miền Nam", "GIÁ VÀNG  hôm nay"} {
		r.talk(now.Add(-time.Duration(i+1)*time.Minute), r.code(i%2), text, bot.KindFallback)
	}
}

// history fills the weeks before: every day a few dozen chats across the
// city and a few handoffs, some answered late, some rated; and, in the
// last 24 hours, chats at many more units — what a leader's screen looks
// like after a while.
func (r *rig) history() {
	r.t.Helper()
	ctx := context.Background()
	by := store.Actor{ID: r.users["lan"].ID, Name: "Lan"}
	step := func(at time.Time, f func() error) {
		r.t.Helper()
		r.at = at
		if err := f(); err != nil {
			r.t.Fatal(err)
		}
	}
	for day := 1; day <= 60; day++ {
		base := now.AddDate(0, 0, -day)
		for k := range 12 + (day*7)%17 {
			r.talk(base.Add(time.Duration(k*37)*time.Minute), r.code(6+(day*13+k*29)%160), "thủ tục gì vậy", bot.KindAnswer)
		}
		for k := range 3 + (day*5)%7 {
			when := base.Add(time.Duration(k*53) * time.Minute)
			h := r.queue(when, r.code(6+(day*11+k*31)%160), []string{"khai-sinh", "ket-hon", "cu-tru"}[k%3])
			late := time.Duration(2+(day+k)%9) * time.Minute // past 5 minutes: an SLA breach
			step(when.Add(late), func() error { return r.st.Claim(ctx, h, by, 0) })
			step(when.Add(late), func() error {
				_, err := r.st.StaffReply(ctx, h, by, bot.Answer{Kind: bot.KindStaff, Text: "Dạ"})
				return err
			})
			hh, err := r.st.HandoffByID(ctx, h)
			if err != nil {
				r.t.Fatal(err)
			}
			step(when.Add(20*time.Minute), func() error { return r.st.Close(ctx, h, "resolved", bot.ModeClosed, by) })
			if k%2 == 0 {
				step(when.Add(21*time.Minute), func() error { return r.st.Rate(ctx, hh.ConversationID, 3+(day+k)%3) })
			}
		}
	}
	for i := range 90 {
		r.talk(now.Add(-time.Duration(5+i*15)*time.Minute), r.code(6+(i*37)%160), "thủ tục gì vậy", bot.KindAnswer)
	}
}
