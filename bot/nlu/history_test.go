package nlu

import (
	"sort"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// chainFromFiles computes, straight from the history and mapping rows, the
// new units an older name leads to today.
func chainFromFiles(kb *knowledge.KB, name, district string) string {
	set := map[string]bool{}
	for _, h := range kb.History {
		if h.FormerName != name || h.FormerDistrict != district {
			continue
		}
		for _, m := range kb.Mappings {
			if m.OldCode == h.CurrentCode && m.OldName == h.CurrentName && m.OldDistrict == h.CurrentDistrict {
				set[m.NewCode] = true
			}
		}
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// Every older name in hcmc_history.csv, written as on a citizen's papers
// ("Phường 1, Quận 8"), resolves to exactly the new units the files chain
// it to: one → answered, several → the split's candidates, never a guess.
func TestEveryHistoryRowResolves(t *testing.T) {
	p, _ := testIndexes(t)
	kb := p.KB()
	seen := map[string]bool{}
	for _, h := range kb.History {
		key := h.FormerName + ", " + h.FormerDistrict
		if seen[key] {
			continue
		}
		seen[key] = true
		want := chainFromFiles(kb, h.FormerName, h.FormerDistrict)
		for _, text := range []string{key, strings.ToLower(key), noDiacritics(key)} {
			r := readPlace(t, text, "", false)
			wantStatus := PlaceResolved
			if strings.Contains(want, ",") {
				wantStatus = PlaceSplit
			}
			if r.Status != wantStatus || targetCodes(r) != want {
				t.Errorf("%q: status %d targets [%s], want status %d [%s]", text, r.Status, targetCodes(r), wantStatus, want)
			}
		}
	}
	if len(seen) < 150 {
		t.Fatalf("only %d former names checked", len(seen))
	}
}

// Where one name and district meant one unit before a reorganisation and
// another after (Phường 2, Quận 5), both readings must end in the same new
// units, so the answer cannot depend on which one the citizen meant. A data
// change that breaks this fails here.
func TestFormerAndCurrentSameNameAgree(t *testing.T) {
	p, _ := testIndexes(t)
	kb := p.KB()
	pairs := 0
	for _, h := range kb.History {
		for _, m := range kb.Mappings {
			if m.OldName != h.FormerName || m.OldDistrict != h.FormerDistrict {
				continue
			}
			pairs++
			former := chainFromFiles(kb, h.FormerName, h.FormerDistrict)
			current := p.OldUnit(m.OldCode)
			var codes []string
			for _, t := range current.Targets {
				codes = append(codes, t.Code)
			}
			sort.Strings(codes)
			if former != strings.Join(codes, ",") {
				t.Errorf("%s, %s: former reading → [%s], current reading → [%s]", h.FormerName, h.FormerDistrict, former, strings.Join(codes, ","))
			}
			break
		}
	}
	if pairs == 0 {
		t.Fatal("no same-name pairs found: the test checks nothing")
	}
	t.Logf("%d same-name former/current pairs agree", pairs)
}

func noDiacritics(s string) string {
	return strings.Join(strings.Fields(NewText(s).Folded), " ")
}
