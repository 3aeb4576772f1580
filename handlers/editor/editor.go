// Package editor is the content editors' console, mounted at /console/kb:
// the shared draft of the knowledge base and its publication, version
// history with export and rollback, editing of procedures, unit offices,
// city service points, curated answers and synonyms, CSV import with a
// row-error table and a field-by-field diff before saving, a chat pane that
// answers from the draft beside the published answer, the loop over the
// questions the bot could not answer, and the audit log. It is HTTP only:
// the draft, versions and audit live in knowledge/store, publishing in
// knowledge/publish, unanswered questions in bot/store; login, sessions and
// CSRF are handlers/auth's. Pages are server-rendered Vietnamese
// html/template views with one small plain script, embedded, parsed once
// in New and served under content-hashed URLs.
package editor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
	"github.com/hoiphuong/hoiphuong/handlers/static"
	"github.com/hoiphuong/hoiphuong/knowledge"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// Drafts is the shared draft of the knowledge base (knowledge/store).
type Drafts interface {
	Draft(ctx context.Context, actor string) (Draft, error)
	DraftKB(ctx context.Context) (*knowledge.KB, Draft, error)
	SaveProcedure(ctx context.Context, actor string, p knowledge.Procedure) error
	DeleteProcedure(ctx context.Context, actor, id string) error
	SaveOffice(ctx context.Context, actor string, u knowledge.Unit) error
	SaveServicePoint(ctx context.Context, actor string, sp knowledge.ServicePoint) error
	DeleteServicePoint(ctx context.Context, actor, id string) error
	SaveCurated(ctx context.Context, actor string, c knowledge.CuratedAnswer) error
	DeleteCurated(ctx context.Context, actor, id string) error
	SaveSynonym(ctx context.Context, actor string, s knowledge.Synonym) error
	DeleteSynonym(ctx context.Context, actor, phrase string) error
	ApplyImport(ctx context.Context, actor string, imp Import, revision int) error
	DiscardDraft(ctx context.Context, actor string) error
}

// Versions are the saved versions of the knowledge base (knowledge/store).
type Versions interface {
	Load(ctx context.Context, version int) (*knowledge.KB, error)
	Latest(ctx context.Context) (*knowledge.KB, error)
	Versions(ctx context.Context) ([]kbstore.VersionInfo, error)
}

// AuditLog is the log of every change (knowledge/store).
type AuditLog interface {
	Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
	Record(ctx context.Context, e AuditEntry) error
}

// Store is everything the pages need of knowledge/store.
type Store interface {
	Drafts
	Versions
	AuditLog
}

// Publisher publishes the draft and rolls back (knowledge/publish).
type Publisher interface {
	Publish(ctx context.Context, actor, changelog string, asOf time.Time) (kbstore.VersionInfo, error)
	Rollback(ctx context.Context, actor string, version int) (kbstore.VersionInfo, error)
	Busy() bool
}

// Unanswered is the questions the bot could not answer (bot/store).
type Unanswered interface {
	Unanswered(ctx context.Context, since time.Time, limit int) ([]UnansweredGroup, error)
	MarkUnansweredDone(ctx context.Context, key, actor, resolution string) error
}

// PreviewFunc answers turns, as one conversation, from kb.
type PreviewFunc func(ctx context.Context, kb *knowledge.KB, turns []string) ([]bot.Answer, error)

// Config is what the editor console needs; all but Logger and Now are
// required.
type Config struct {
	Store      Store
	Publisher  Publisher
	Unanswered Unanswered
	Preview    PreviewFunc
	Auth       *auth.Auth
	Logger     *slog.Logger
	Now        func() time.Time
}

// Editor serves the editor pages.
type Editor struct {
	store      Store
	publisher  Publisher
	unanswered Unanswered
	preview    PreviewFunc
	auth       *auth.Auth
	logger     *slog.Logger
	now        func() time.Time
	views      staffpage.Views
	assets     *static.Files
	imports    *pendingImports
}

// New checks cfg, hashes the static files and parses the templates (each
// page is rendered once with sample data), so a broken view fails at start.
func New(cfg Config) (*Editor, error) {
	if cfg.Store == nil || cfg.Publisher == nil || cfg.Unanswered == nil || cfg.Preview == nil || cfg.Auth == nil {
		return nil, errors.New("editor: Config.Store, Publisher, Unanswered, Preview and Auth are required")
	}
	e := &Editor{store: cfg.Store, publisher: cfg.Publisher, unanswered: cfg.Unanswered, preview: cfg.Preview,
		auth: cfg.Auth, logger: cfg.Logger, now: cfg.Now}
	if e.logger == nil {
		e.logger = slog.New(slog.DiscardHandler)
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.imports = newPendingImports(e.now)
	a, err := static.Load(staticFS, "static", basePath+"/static/", true)
	if err == nil {
		err = a.Add(staffpage.Static, "static")
	}
	if err != nil {
		return nil, fmt.Errorf("editor: %w", err)
	}
	e.assets = a
	if e.views, err = staffpage.Parse(templateFS, "templates", e.funcs()); err != nil {
		return nil, fmt.Errorf("editor: %w", err)
	}
	if err := e.checkViews(); err != nil {
		return nil, err
	}
	return e, nil
}

// Routes returns the editor console's router, meant to be mounted at
// /console/kb. Every route is behind auth.Require and a role check
// (User.CanEditKB: editors and city admins; others get 403); no request
// body may be larger than a CSV upload (MaxUploadBytes and its form).
func (e *Editor) Routes() chi.Router {
	r := chi.NewRouter()
	// The body limit comes first: the CSRF check reads the form, an
	// upload's file included.
	tooLarge := auth.RequireRole(staff.User.CanEditKB)(http.HandlerFunc(e.tooLarge))
	r.Use(limitBody(MaxUploadBytes+formOverhead), e.auth.RequireOr(tooLarge), auth.RequireRole(staff.User.CanEditKB))
	r.Get("/static/{name}", e.assets.Serve)

	r.Get("/", e.overview)
	r.Post("/publish", e.publish)
	r.Post("/draft/discard", e.draftDiscard)
	r.Post("/versions/{version}/rollback", e.versionRollback)
	r.Get("/export/{version}/{table}.csv", e.export)

	r.Get("/procedures", e.procedureList)
	r.Get("/procedures/new", e.procedureNew)
	r.Post("/procedures", e.procedureCreate)
	r.Get("/procedures/{id}", e.procedureEdit)
	r.Post("/procedures/{id}", e.procedureUpdate)
	r.Post("/procedures/{id}/delete", e.procedureDelete)

	r.Get("/offices", e.officeList)
	r.Get("/offices/{code}", e.officeEdit)
	r.Post("/offices/{code}", e.officeSave)

	r.Get("/service-points", e.servicePointList)
	r.Get("/service-points/new", e.servicePointNew)
	r.Post("/service-points", e.servicePointCreate)
	r.Get("/service-points/{id}", e.servicePointEdit)
	r.Post("/service-points/{id}", e.servicePointUpdate)
	r.Post("/service-points/{id}/delete", e.servicePointDelete)

	r.Get("/curated", e.curatedList)
	r.Get("/curated/new", e.curatedNew)
	r.Post("/curated", e.curatedCreate)
	r.Get("/curated/{id}", e.curatedEdit)
	r.Post("/curated/{id}", e.curatedUpdate)
	r.Post("/curated/{id}/delete", e.curatedDelete)

	r.Get("/synonyms", e.synonymList)
	r.Get("/synonyms/edit", e.synonymEdit)
	r.Post("/synonyms", e.synonymSave)
	r.Post("/synonyms/delete", e.synonymDelete)

	r.Get("/import", e.importForm)
	r.Post("/import", e.importPreview)
	r.Post("/import/{id}/save", e.importSave)

	r.Get("/preview", e.previewPane)

	r.Get("/unanswered", e.unansweredList)
	r.Post("/unanswered/alias", e.unansweredAlias)
	r.Post("/unanswered/done", e.unansweredDone)

	r.Get("/audit", e.auditList)
	r.Get("/audit.csv", e.auditExport)
	return r
}

// user is the logged-in user auth.Require put in the request.
func user(r *http.Request) staff.User {
	u, _ := auth.UserFrom(r.Context())
	return u
}

// actor is how the user is named in the draft, versions and audit log.
func actor(r *http.Request) string { return user(r).Username }
