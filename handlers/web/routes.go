// Package web serves the citizen's web chat page: a server-rendered,
// mobile-first Vietnamese shell with one small plain-JavaScript file that
// talks to the chat JSON API. Templates and assets are embedded, checked when
// the page is built, and assets are served under content-hashed URLs.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
	"github.com/hoiphuong/hoiphuong/handlers/static"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the page needs.
type Config struct {
	Logger       *slog.Logger
	MaxTextRunes int // shown to and enforced by the page before sending
}

// Page is the web chat surface.
type Page struct {
	logger *slog.Logger
	tmpl   *template.Template
	assets *static.Files
	data   pageData
}

// New parses the templates, hashes the assets and renders the page once, so
// a broken view fails at start rather than in front of a citizen.
func New(cfg Config) (*Page, error) {
	a, err := static.Load(staticFS, "static", "/static/", false)
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{"asset": a.URL}).
		ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse templates: %w", err)
	}
	a.NotFound = func(w http.ResponseWriter, _ *http.Request) {
		jsonapi.WriteError(w, http.StatusNotFound, jsonapi.CodeNotFound, jsonapi.MessageNotFound)
	}
	p := &Page{logger: cfg.Logger, tmpl: tmpl, assets: a, data: newPageData(cfg.MaxTextRunes)}
	if p.logger == nil {
		p.logger = slog.New(slog.DiscardHandler)
	}
	if _, err := p.render(); err != nil {
		return nil, fmt.Errorf("web: render chat page: %w", err)
	}
	return p, nil
}

// Routes returns the page's router, meant to be mounted at /.
func (p *Page) Routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/", p.chat)
	r.Get("/static/{name}", p.assets.Serve)
	return r
}

func (p *Page) render() ([]byte, error) {
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, "chat.html", p.data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// chat handles GET /: the chat page.
func (p *Page) chat(w http.ResponseWriter, r *http.Request) {
	body, err := p.render()
	if err != nil {
		p.logger.ErrorContext(r.Context(), "render chat page", "err", err)
		http.Error(w, "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(body)
}
