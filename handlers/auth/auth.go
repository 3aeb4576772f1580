// Package auth is the HTTP side of staff login: the login and logout pages,
// the session cookie, CSRF protection and the middleware that lets only
// logged-in staff (of the right role) into the consoles. It holds no SQL:
// users and sessions live in bot/staff, reached through Sessions.
//
// Its routes are meant to be mounted at /console: /console/login and
// /console/logout, with the session cookie scoped to /console.
package auth

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/ratelimit"
)

// Sessions is what auth needs of the staff directory; *staff.Directory
// satisfies it.
type Sessions interface {
	LoginFrom(ctx context.Context, username, password, client string) (staff.Session, error)
	Session(ctx context.Context, token string) (staff.Session, error)
	Logout(ctx context.Context, token string) error
}

// Config is what Auth needs. Sessions is required.
type Config struct {
	Sessions      Sessions
	Logger        *slog.Logger // nil: discard
	SecureCookies bool         // mark cookies Secure (serving over HTTPS)
	Now           func() time.Time
	// Clients names the address a login comes from (trusted proxies).
	Clients ratelimit.Clients
}

// Auth serves the login pages and guards the consoles.
type Auth struct {
	sessions Sessions
	logger   *slog.Logger
	secure   bool
	clients  ratelimit.Clients
	now      func() time.Time
	tmpl     *template.Template
	style    style
}

// New parses the login page and checks that it renders, so a broken view
// fails at start.
func New(cfg Config) (*Auth, error) {
	if cfg.Sessions == nil {
		return nil, errors.New("auth: Config.Sessions is required")
	}
	a := &Auth{sessions: cfg.Sessions, logger: cfg.Logger, secure: cfg.SecureCookies, clients: cfg.Clients, now: cfg.Now, style: loadStyle()}
	if a.logger == nil {
		a.logger = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	a.tmpl = tmpl
	if _, err := a.renderLogin(loginData{CSRF: "check", Next: consolePath, Error: "check"}); err != nil {
		return nil, errors.Join(errors.New("auth: render login page"), err)
	}
	return a, nil
}

// Routes returns GET /login (the form), POST /login, POST /logout and the
// page's stylesheet, meant to be mounted at /console.
func (a *Auth) Routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/login", a.loginForm)
	r.Post("/login", a.loginSubmit)
	r.Post("/logout", a.logout)
	r.Get("/"+a.style.name, a.style.serve)
	return r
}

type ctxKey struct{}

func withSession(ctx context.Context, s staff.Session) context.Context {
	return context.WithValue(ctx, ctxKey{}, s)
}

func sessionFrom(ctx context.Context) (staff.Session, bool) {
	s, ok := ctx.Value(ctxKey{}).(staff.Session)
	return s, ok
}

// UserFrom returns the logged-in user that Require put in ctx.
func UserFrom(ctx context.Context) (staff.User, bool) {
	s, ok := sessionFrom(ctx)
	return s.User, ok
}

// CSRFFrom returns the session's CSRF token that Require put in ctx, for
// forms (field "csrf") and scripts (header X-CSRF-Token); "" without one.
func CSRFFrom(ctx context.Context) string {
	s, _ := sessionFrom(ctx)
	return s.CSRF
}
