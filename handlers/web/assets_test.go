package web

import (
	"strings"
	"testing"
)

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
