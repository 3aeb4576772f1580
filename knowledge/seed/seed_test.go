package seed

import "testing"

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
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %d rows, want %d", c.name, c.got, c.want)
		}
	}
	if len(kb.Synonyms) < 100 {
		t.Errorf("synonyms: %d, want the seed's list", len(kb.Synonyms))
	}
	if len(Geo()) < 1_000_000 {
		t.Errorf("geojson: %d bytes, want the full file", len(Geo()))
	}
}
