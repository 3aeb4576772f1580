// Package static serves a page's embedded files (CSS, JS, icons) under
// content-hashed names (app.1a2b3c4d5e6f.js) with long cache headers: a
// changed file gets a new URL, so no cache ever serves stale code. Every
// HTML surface (web chat, staff console, dashboard, editor) loads its
// files through it.
package static

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

type file struct {
	body        []byte
	contentType string
	etag        string
}

// Files are one folder's files, by logical and by hashed name.
type Files struct {
	urls    map[string]string // logical name → URL
	byName  map[string]file   // hashed name → file
	private bool
	prefix  string
	// NotFound answers an unknown name (nil: http.NotFound).
	NotFound http.HandlerFunc
}

// Load reads the files of dir in fsys; their URLs are prefix + hashed name
// (prefix ends with "/", e.g. "/console/static/"). private files (behind a
// login) may be cached by the browser only, not by shared caches.
func Load(fsys fs.FS, dir, prefix string, private bool) (*Files, error) {
	f := &Files{urls: map[string]string{}, byName: map[string]file{}, private: private, prefix: prefix}
	if err := f.Add(fsys, dir); err != nil {
		return nil, err
	}
	return f, nil
}

// Add loads the files of dir in fsys into f, under f's prefix (files a
// page shares with other pages, e.g. handlers/staffpage's stylesheet).
func (f *Files) Add(fsys fs.FS, dir string) error {
	prefix := f.prefix
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("read %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hash + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		f.urls[e.Name()] = prefix + hashed
		f.byName[hashed] = file{body: body, contentType: ctype, etag: `"` + hash + `"`}
	}
	return nil
}

// URL is the template function for a file's URL: it fails the render (and
// so the start, where pages are rendered once) for a file that does not
// exist.
func (f *Files) URL(name string) (string, error) {
	u, ok := f.urls[name]
	if !ok {
		return "", fmt.Errorf("unknown static file %q", name)
	}
	return u, nil
}

// Serve handles GET {prefix}{name} (chi URL parameter "name"); an unknown
// name is answered by NotFound.
func (f *Files) Serve(w http.ResponseWriter, r *http.Request) {
	fl, ok := f.byName[chi.URLParam(r, "name")]
	if !ok {
		if f.NotFound != nil {
			f.NotFound(w, r)
		} else {
			http.NotFound(w, r)
		}
		return
	}
	h := w.Header()
	h.Set("Content-Type", fl.contentType)
	scope := "public"
	if f.private {
		scope = "private"
	}
	h.Set("Cache-Control", scope+", max-age=31536000, immutable")
	h.Set("ETag", fl.etag)
	if r.Header.Get("If-None-Match") == fl.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(fl.body)
}
