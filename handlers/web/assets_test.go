package web

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestAssetsAreContentHashed(t *testing.T) {
	fsys := fstest.MapFS{
		"static/app.js":  {Data: []byte("console.log(1)")},
		"static/app.css": {Data: []byte("body{}")},
	}
	a, err := loadAssets(fsys, "static")
	if err != nil {
		t.Fatal(err)
	}
	js, err := a.url("app.js")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{12}\.js$`).MatchString(js) {
		t.Errorf("url = %q", js)
	}
	if _, err := a.url("missing.js"); err == nil {
		t.Error("unknown asset: no error")
	}

	fsys["static/app.js"] = &fstest.MapFile{Data: []byte("console.log(2)")}
	b, err := loadAssets(fsys, "static")
	if err != nil {
		t.Fatal(err)
	}
	if js2, _ := b.url("app.js"); js2 == js {
		t.Error("changed content kept its URL")
	}
}

func TestNewRendersEmbeddedPage(t *testing.T) {
	p, err := New(Config{MaxTextRunes: 1500})
	if err != nil {
		t.Fatal(err)
	}
	body, err := p.render()
	if err != nil {
		t.Fatal(err)
	}
	html := string(body)
	for _, want := range []string{`data-max-runes="1500"`, "Tối đa 1500 ký tự", `lang="vi"`} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
