package knowledge

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSource(t *testing.T) {
	tests := []struct {
		in   string
		want Source
	}{
		{"NQ 190/2025/QH15, Điều 10 — https://thuvienphapluat.vn/a.html (2025-02-19)",
			Source{Title: "NQ 190/2025/QH15, Điều 10", URL: "https://thuvienphapluat.vn/a.html", Date: "2025-02-19"}},
		{"plo.vn: https://plo.vn/b-post860817.html (2025-07)", Source{Title: "plo.vn", URL: "https://plo.vn/b-post860817.html", Date: "2025-07"}},
		{"http://luat3s.com/?p=9211", Source{URL: "http://luat3s.com/?p=9211"}},
		{"  https://a.vn/x.  ", Source{URL: "https://a.vn/x"}},
		{"Không có đường dẫn", Source{Title: "Không có đường dẫn"}},
		{"https://a.vn/x hôm qua", Source{URL: "https://a.vn/x", Date: "hôm qua"}},
	}
	for _, tt := range tests {
		got := ParseSource(tt.in)
		if got != tt.want {
			t.Errorf("ParseSource(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if tt.want.URL != "" && tt.want.Date != "hôm qua" {
			if back := ParseSource(got.String()); back != got {
				t.Errorf("%q does not read back: %+v", got.String(), back)
			}
		}
	}
	cell := "A — https://a.vn/1 (2025-06-25) | https://b.vn/2"
	if ss := ParseSources(cell); len(ss) != 2 || ss[1].URL != "https://b.vn/2" || FormatSources(ss) != cell {
		t.Errorf("ParseSources(%q) = %+v, formatted %q", cell, ss, FormatSources(ss))
	}
}

// A curated answer's sources, legal basis and confidence are checked like
// a procedure's, and reported by the CSV column's name.
func TestCuratedValidateSources(t *testing.T) {
	ok := CuratedAnswer{ID: "doi-can-cuoc", Questions: []string{"có phải đổi căn cước không"}, Answer: "Không bắt buộc.",
		LegalBasis: "Điều 10 NQ 190/2025/QH15", Confidence: "high",
		Sources: []Source{{Title: "plo.vn", URL: "https://plo.vn/a.html", Date: "2025-07-17"}}}
	if err := ok.Validate(Refs{}); err != nil {
		t.Fatalf("good answer rejected: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(c *CuratedAnswer)
		field string
	}{
		{"source without a link", func(c *CuratedAnswer) { c.Sources = []Source{{Title: "báo"}} }, "sources"},
		{"bad source date", func(c *CuratedAnswer) { c.Sources[0].Date = "17/7/2025" }, "sources"},
		{"bad confidence", func(c *CuratedAnswer) { c.Confidence = "chắc chắn" }, "confidence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			c.Sources = append([]Source(nil), ok.Sources...)
			tt.edit(&c)
			err := c.Validate(Refs{})
			var ps Problems
			if !errors.As(err, &ps) || !errors.Is(err, ErrInvalid) || len(ps) != 1 || ps[0].Field != tt.field {
				t.Errorf("Validate = %v, want one problem in %s", err, tt.field)
			}
		})
	}
}

// Curated answers export their sources, legal basis and confidence, and an
// import of that file changes nothing; a bad source is a row error.
func TestCuratedCSVRoundTrip(t *testing.T) {
	kb := &KB{Curated: []CuratedAnswer{{ID: "doi-can-cuoc", Questions: []string{"có phải đổi căn cước không", "doi cccd sau sap nhap"},
		Answer: "Không bắt buộc.", LegalBasis: "Điều 10 NQ 190/2025/QH15; Luật Căn cước 2023, Điều 24", Confidence: "high",
		Sources: []Source{{Title: "plo.vn", URL: "https://plo.vn/a.html", Date: "2025-07-17"}, {URL: "https://thuvienphapluat.vn/b.html"}}}}}
	var b strings.Builder
	if err := ExportCSV(&b, kb, TableCurated); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), strings.Join(CuratedColumns, ",")+"\n") ||
		!strings.Contains(b.String(), "plo.vn — https://plo.vn/a.html (2025-07-17) | https://thuvienphapluat.vn/b.html") {
		t.Fatalf("export:\n%s", b.String())
	}
	imp, err := ImportCSV(strings.NewReader(b.String()), "curated.csv", TableCurated, kb)
	if err != nil || len(imp.Errors) > 0 || !imp.Diff.Empty() {
		t.Fatalf("round trip: %v %v %+v", err, imp.Errors, imp.Diff)
	}
	bad := strings.Replace(b.String(), "(2025-07-17)", "(17/07/2025)", 1)
	imp, err = ImportCSV(strings.NewReader(bad), "curated.csv", TableCurated, kb)
	if err != nil || len(imp.Errors) != 1 || imp.Errors[0].Row != 2 || imp.Errors[0].Column != "sources" {
		t.Fatalf("bad source date: %v %v", err, imp.Errors)
	}
}
