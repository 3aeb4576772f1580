package dashboard

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
)

// asset is one embedded static file.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets serves the page's files under content-hashed names
// (dashboard.1a2b3c4d5e6f.css) with long cache headers: a changed file
// gets a new URL.
type assets struct {
	urls   map[string]string // logical name → URL
	byName map[string]asset  // hashed name → file
}

func loadAssets(fsys fs.FS, dir, prefix string) (*assets, error) {
	a := &assets{urls: map[string]string{}, byName: map[string]asset{}}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hash + ext
		a.urls[e.Name()] = prefix + hashed
		a.byName[hashed] = asset{body: body, contentType: mime.TypeByExtension(ext), etag: `"` + hash + `"`}
	}
	return a, nil
}

// url is the template function "asset"; an unknown name fails the render.
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
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(f.body)
}
