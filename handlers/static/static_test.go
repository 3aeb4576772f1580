package static

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/go-chi/chi/v5"
)

func TestFilesAreContentHashedAndCached(t *testing.T) {
	fsys := fstest.MapFS{
		"static/app.js":  {Data: []byte("console.log(1)")},
		"static/app.css": {Data: []byte("body{}")},
	}
	f, err := Load(fsys, "static", "/static/", false)
	if err != nil {
		t.Fatal(err)
	}
	js, err := f.URL("app.js")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{12}\.js$`).MatchString(js) {
		t.Errorf("url = %q", js)
	}
	if _, err := f.URL("missing.js"); err == nil {
		t.Error("unknown file: no error")
	}
	fsys["static/app.js"] = &fstest.MapFile{Data: []byte("console.log(2)")}
	g, err := Load(fsys, "static", "/static/", true)
	if err != nil {
		t.Fatal(err)
	}
	js2, _ := g.URL("app.js")
	if js2 == js {
		t.Error("changed content kept its URL")
	}

	r := chi.NewRouter()
	r.Get("/static/{name}", g.Serve)
	tests := []struct {
		path, etag string
		status     int
		cache      string
	}{
		{js2, "", http.StatusOK, "private, max-age=31536000, immutable"},
		{js, "", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
		if rec.Code != tt.status || rec.Header().Get("Cache-Control") != tt.cache {
			t.Errorf("GET %s = %d %q", tt.path, rec.Code, rec.Header().Get("Cache-Control"))
		}
		if rec.Code == http.StatusOK {
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
			again := httptest.NewRecorder()
			r.ServeHTTP(again, req)
			if again.Code != http.StatusNotModified {
				t.Errorf("conditional GET %s = %d, want 304", tt.path, again.Code)
			}
		}
	}
}
