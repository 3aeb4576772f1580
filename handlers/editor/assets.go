package editor

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/go-chi/chi/v5"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets maps logical names (editor.css) to content-hashed URLs
// (/console/kb/static/editor.1a2b3c4d5e6f.css): a changed file gets a new
// URL, so caches never serve stale code.
type assets struct {
	urls   map[string]string
	byName map[string]asset
}

func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, byName: map[string]asset{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("editor: read static: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(staticFS, path.Join("static", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("editor: read %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hash + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.urls[e.Name()] = basePath + "/static/" + hashed
		a.byName[hashed] = asset{body: body, contentType: ctype, etag: `"` + hash + `"`}
	}
	return a, nil
}

// url is the template function "static"; an unknown name fails the
// render (and so the start).
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("unknown asset %q", name)
	}
	return u, nil
}

// serve handles GET /static/{name}.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byName[chi.URLParam(r, "name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(f.body)
}
