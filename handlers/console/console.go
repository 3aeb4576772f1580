// Package console is the ward staff's web console, mounted at /console:
// the queue of the units a staff member works, a conversation with its
// whole history and the actions on it (claim, reply, note, transfer,
// reassign, hand back, close), live updates over Server-Sent Events,
// canned replies, office hours and SLA per unit, and (city admins) the
// users. It is HTTP only: the rules live in bot/handoff (handoff.Desk) and
// bot/staff; login, sessions and CSRF are handlers/auth's. Pages are
// server-rendered Vietnamese html/template views with one small plain
// script, embedded, parsed once in New and served under content-hashed
// URLs.
package console

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
	"github.com/hoiphuong/hoiphuong/handlers/static"
)

// DefaultHeartbeat is how often the event stream sends a comment to keep
// proxies from closing an idle connection.
const DefaultHeartbeat = 15 * time.Second

// Config is what the console needs; Desk, Staff and Auth are required.
type Config struct {
	Desk   *handoff.Desk
	Staff  *staff.Directory
	Auth   *auth.Auth
	Logger *slog.Logger
	Now    func() time.Time
}

// Console serves the staff pages.
type Console struct {
	desk      *handoff.Desk
	staff     *staff.Directory
	auth      *auth.Auth
	logger    *slog.Logger
	now       func() time.Time
	views     staffpage.Views
	assets    *static.Files
	heartbeat time.Duration
}

// New checks cfg, hashes the static files and parses the templates (each
// page is rendered once with empty data), so a broken view fails at start.
func New(cfg Config) (*Console, error) {
	if cfg.Desk == nil || cfg.Staff == nil || cfg.Auth == nil {
		return nil, errors.New("console: Config.Desk, Staff and Auth are required")
	}
	c := &Console{desk: cfg.Desk, staff: cfg.Staff, auth: cfg.Auth, logger: cfg.Logger, now: cfg.Now,
		heartbeat: DefaultHeartbeat}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	a, err := static.Load(staticFS, "static", "/console/static/", true)
	if err == nil {
		err = a.Add(staffpage.Static, "static")
	}
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	c.assets = a
	if c.views, err = staffpage.Parse(templateFS, "templates", c.funcs()); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	if err := c.checkViews(); err != nil {
		return nil, err
	}
	return c, nil
}

// Routes returns the console's router, meant to be mounted at /console:
// auth's login and logout, and every other route behind auth.Require and
// a role check (editors are sent from the queue page to the editor console
// at /console/kb and get 403 elsewhere; users are city admins' only).
func (c *Console) Routes() chi.Router {
	r := c.auth.Routes()
	r.Group(func(r chi.Router) {
		r.Use(c.auth.Require, editorsToKB, auth.RequireRole(staff.User.CanWorkQueues))
		r.Get("/static/{name}", c.assets.Serve)
		r.Get("/", c.queueList)
		r.Get("/events", c.eventStream)
		r.Get("/c/{id}", c.conversationShow)
		r.Post("/c/{id}/claim", c.conversationClaim)
		r.Post("/c/{id}/reply", c.conversationReply)
		r.Post("/c/{id}/note", c.conversationNote)
		r.Post("/c/{id}/transfer", c.conversationTransfer)
		r.Post("/c/{id}/handback", c.conversationHandBack)
		r.Post("/c/{id}/close", c.conversationClose)
		r.Get("/canned", c.cannedList)
		r.Post("/canned", c.cannedCreate)
		r.Post("/canned/{cannedID}/delete", c.cannedDelete)
		r.Group(func(r chi.Router) {
			r.Use(auth.RequireRole(staff.User.CanReassign))
			r.Post("/c/{id}/reassign", c.conversationReassign)
			r.Get("/units", c.unitList)
			r.Get("/units/{code}/settings", c.settingsShow)
			r.Post("/units/{code}/settings", c.settingsSave)
		})
		r.Group(func(r chi.Router) {
			r.Use(auth.RequireRole(staff.User.IsCityAdmin))
			r.Get("/users", c.userList)
			r.Post("/users", c.userCreate)
			r.Post("/users/{userID}/disable", c.userDisable)
			r.Post("/users/{userID}/enable", c.userEnable)
			r.Post("/users/{userID}/password", c.userPassword)
			r.Get("/holidays", c.holidayList)
			r.Post("/holidays", c.holidaySave)
			r.Post("/holidays/{day}/delete", c.holidayDelete)
		})
	})
	return r
}

// kbPath is where the gateway mounts the editor console (handlers/editor).
const kbPath = basePath + "/kb"

// editorsToKB sends editors, who work no queue, from the queue page (where
// the login lands) to the editor console.
func editorsToKB(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := user(r)
		home := strings.TrimSuffix(r.URL.Path, "/") == basePath
		if home && (r.Method == http.MethodGet || r.Method == http.MethodHead) && u.CanEditKB() && !u.CanWorkQueues() {
			http.Redirect(w, r, kbPath, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// user is the logged-in user auth.Require put in the request.
func user(r *http.Request) staff.User {
	u, _ := auth.UserFrom(r.Context())
	return u
}
