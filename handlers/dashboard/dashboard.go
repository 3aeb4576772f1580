// Package dashboard serves the city dashboard at /console/dashboard: the
// live load of every ward's queue (queued, waits, SLA breaches, chats per
// hour, handoff rate, CSAT, top matters, unresolved questions) as a
// server-rendered Vietnamese page that refreshes itself, and its CSV
// export. Only supervisors (their units) and city admins (every unit) get
// in. It holds no SQL and no rules: the figures come from handoff.Desk.
package dashboard

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/static"
)

// BasePath is where the gateway mounts Routes.
const BasePath = "/console/dashboard"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Figures is what the page needs of the handoff desk; *handoff.Desk
// satisfies it.
type Figures interface {
	Dashboard(ctx context.Context, u staff.User, day time.Time) (handoff.Dashboard, error)
}

// Config is what the dashboard needs; Desk and Auth are required.
type Config struct {
	Desk   Figures
	Auth   *auth.Auth
	Logger *slog.Logger // nil: discard
	Now    func() time.Time
	// Staffing, when set, adds the notice of queues nobody works
	// (staffing.go).
	Staffing Staffing
}

// Dashboard serves the city dashboard.
type Dashboard struct {
	desk    Figures
	auth    *auth.Auth
	logger  *slog.Logger
	now     func() time.Time
	tmpl    *template.Template
	assets  *static.Files
	staffer Staffing
}

// New parses the page and renders it once with sample figures, so a broken
// view fails at start.
func New(cfg Config) (*Dashboard, error) {
	if cfg.Desk == nil || cfg.Auth == nil {
		return nil, errors.New("dashboard: Config.Desk and Config.Auth are required")
	}
	a, err := static.Load(staticFS, "static", BasePath+"/static/", true)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{"asset": a.URL}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboard: parse templates: %w", err)
	}
	d := &Dashboard{desk: cfg.Desk, auth: cfg.Auth, logger: cfg.Logger, now: cfg.Now, tmpl: tmpl, assets: a, staffer: cfg.Staffing}
	if d.logger == nil {
		d.logger = slog.New(slog.DiscardHandler)
	}
	if d.now == nil {
		d.now = time.Now
	}
	if _, err := d.render(pageName, newPage(sampleDashboard(), staff.User{Name: "check"}, "check")); err != nil {
		return nil, fmt.Errorf("dashboard: render page: %w", err)
	}
	return d, nil
}

// Routes returns GET / (the page; with the header X-Partial: 1 only its
// live part), GET /export.csv and the page's assets, meant to be mounted
// at BasePath.
func (d *Dashboard) Routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/static/{name}", d.assets.Serve)
	r.Group(func(r chi.Router) {
		r.Use(d.auth.Require, auth.RequireRole(staff.User.CanSeeReports))
		r.Get("/", d.page)
		r.Get("/export.csv", d.export)
	})
	return r
}
