// Package dashboard serves the city dashboard at /console/dashboard for
// the city's leaders: key figures, the units in trouble ranked (SLA
// breaches, longest wait, questions the bot could not answer), a map of
// the 168 units coloured by load, trends by day and by week, and every
// unit's figures in a sortable table with its CSV export — a
// server-rendered Vietnamese page (maps and charts are SVG drawn here,
// no script needed) that refreshes itself. Only supervisors (their units)
// and city admins (every unit) get in. It holds no SQL and no rules: the
// figures come from handoff.Desk.
package dashboard

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/static"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
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
	Trends(ctx context.Context, u staff.User, end time.Time) (handoff.Trends, error)
}

// Config is what the dashboard needs; Desk and Auth are required.
type Config struct {
	Desk   Figures
	Auth   *auth.Auth
	Shapes []geo.Shape  // the units' boundaries for the map; nil: no map
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
	shapes  *unitMap // drawn once
	trends  *trendCache
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
	d := &Dashboard{desk: cfg.Desk, auth: cfg.Auth, logger: cfg.Logger, now: cfg.Now, tmpl: tmpl, assets: a,
		shapes: newUnitMap(cfg.Shapes), staffer: cfg.Staffing}
	if d.logger == nil {
		d.logger = slog.New(slog.DiscardHandler)
	}
	if d.now == nil {
		d.now = time.Now
	}
	d.trends = newTrendCache(d.desk, d.now)
	db, tr := sampleDashboard()
	if _, err := d.render(pageName, newPage(db, tr, view{}, d.shapes, staff.User{Name: "check"}, "check")); err != nil {
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

// userOf is the logged-in user auth.Require put in the request.
func userOf(r *http.Request) staff.User {
	u, _ := auth.UserFrom(r.Context())
	return u
}
