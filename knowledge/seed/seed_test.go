package seed

import (
	"strings"
	"testing"
	"unicode"
)

func TestLoad(t *testing.T) {
	kb, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	hcmc := 0
	for _, u := range kb.Units {
		if u.InHCMC() {
			hcmc++
		}
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"units", len(kb.Units), 3321},
		{"hcmc units", hcmc, 168},
		{"mappings", len(kb.Mappings), 10571},
		{"history", len(kb.History), 183},
		{"district aliases", len(kb.Aliases), 11},
		{"procedures", len(kb.Procedures), 124},
		{"land branches", len(kb.Branches), 67},
		{"synonyms", len(kb.Synonyms), len(Synonyms())},
		{"curated answers", len(kb.Curated), 15},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %d rows, want %d", c.name, c.got, c.want)
		}
	}
	if len(kb.Synonyms) < 100 {
		t.Errorf("synonyms: %d, want the seed's list", len(kb.Synonyms))
	}
	offices := map[string]int{}
	for _, u := range kb.Units {
		if !u.InHCMC() {
			continue
		}
		for field, v := range map[string]string{"desk": u.Address, "ubnd": u.UBNDAddress, "police": u.PoliceAddress,
			"phone": u.Phone, "hours": u.Hours, "check": u.OfficeCheck} {
			if v != "" {
				offices[field]++
			}
		}
		for _, addr := range []string{u.Address, u.UBNDAddress, u.PoliceAddress} {
			if w := doubledWord(addr); w != "" {
				t.Errorf("%s %s: %q repeats %q (a typo of the source?)", u.Code, u.Name, addr, w)
			}
		}
		if u.Address != "" && (u.OfficeSource == "" || u.OfficeAsOf == "" || u.OfficeConfidence == "" || u.OfficeSourceURL == "") {
			t.Errorf("%s %s: desk without its source, date or confidence: %+v", u.Code, u.Name, u)
		}
	}
	// The research file's coverage (offices/README.md): every desk, all
	// UBND seats but Tân Hiệp's, 14 police, 9 phones, no hours; 18 desks
	// that another source puts elsewhere.
	for field, want := range map[string]int{"desk": 168, "ubnd": 167, "police": 14, "phone": 9, "hours": 0, "check": 18} {
		if offices[field] != want {
			t.Errorf("offices: %d units with a %s, want %d", offices[field], field, want)
		}
	}
	// Every FAQ answer: at least 8 phrasings (the matter reader learns
	// from them), a confidence, dated sources.
	for _, c := range kb.Curated {
		if len(c.Questions) < 8 || c.Confidence == "" || len(c.Sources) == 0 {
			t.Errorf("curated %s: %d phrasings, confidence %q, %d sources", c.ID, len(c.Questions), c.Confidence, len(c.Sources))
		}
	}
	if len(Geo()) < 1_000_000 {
		t.Errorf("geojson: %d bytes, want the full file", len(Geo()))
	}
}

// doubledWord returns a word (not a number) that an address repeats at
// once, as in "98 Lê Lê Văn Duyệt"; "" when none.
func doubledWord(addr string) string {
	words := strings.FieldsFunc(addr, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i := 1; i < len(words); i++ {
		if words[i] == words[i-1] && !unicode.IsDigit([]rune(words[i])[0]) {
			return words[i]
		}
	}
	return ""
}
