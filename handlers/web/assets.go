package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// asset is one embedded static file.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets maps logical names (app.js) to content-hashed URLs
// (/static/app.1a2b3c4d5e.js) and serves the hashed names with long cache
// headers: a changed file gets a new URL, so caches never serve stale code.
type assets struct {
	urls   map[string]string // logical name → URL
	byName map[string]asset  // hashed file name → file
}

func loadAssets(fsys fs.FS, dir string) (*assets, error) {
	a := &assets{urls: map[string]string{}, byName: map[string]asset{}}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hash + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.urls[e.Name()] = "/static/" + hashed
		a.byName[hashed] = asset{body: body, contentType: ctype, etag: `"` + hash + `"`}
	}
	return a, nil
}

// url is the template function "asset": it fails the render (and so the
// start) when a template names a file that does not exist.
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
		jsonapi.WriteError(w, http.StatusNotFound, jsonapi.CodeNotFound, jsonapi.MessageNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(f.body)
}
