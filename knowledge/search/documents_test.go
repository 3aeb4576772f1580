package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

func TestOldUnitDocs(t *testing.T) {
	docs := oldUnitDocs(loadKB(t))
	byID := map[string]OldUnitDoc{}
	for _, d := range docs {
		if _, dup := byID[d.ID]; dup {
			t.Errorf("duplicate document id %s", d.ID)
		}
		byID[d.ID] = d
		if len(d.Targets) == 0 || len(d.NewProvinceCodes) == 0 {
			t.Errorf("%s (%s) has no target", d.ID, d.OldName)
		}
	}
	tests := []struct {
		id, kind, name, short, district, districtShort string
		targets                                        []string
		whole                                          bool
	}{
		{"o26737", KindCurrent, "Phường Đa Kao", "Đa Kao", "Quận 1", "1", []string{"26740", "26737"}, false},
		{"o27640", KindCurrent, "Xã Qui Đức", "Qui Đức", "Huyện Bình Chánh", "Bình Chánh", nil, true},
		{"o27088", KindCurrent, "Phường Thảo Điền", "Thảo Điền", "Thành phố Thủ Đức", "Thủ Đức", []string{"27094"}, true},
	}
	for _, tt := range tests {
		d, ok := byID[tt.id]
		if !ok {
			t.Errorf("no document %s", tt.id)
			continue
		}
		var targets []string
		for _, tg := range d.Targets {
			targets = append(targets, tg.Code)
		}
		if d.Kind != tt.kind || d.OldName != tt.name || !slices.Contains(d.OldShortNames, tt.short) ||
			d.OldDistrict != tt.district || d.OldDistrictShort != tt.districtShort ||
			(tt.targets != nil && !slices.Equal(targets, tt.targets)) || d.Whole != tt.whole {
			t.Errorf("%s = %+v", tt.id, d)
		}
	}

	var former *OldUnitDoc
	for i := range docs {
		if docs[i].Kind == KindFormer && docs[i].OldName == "Phường 1" && docs[i].OldDistrict == "Quận 8" {
			former = &docs[i]
		}
	}
	if former == nil {
		t.Fatal("no former-name document for Phường 1, Quận 8")
	}
	if former.CurrentCode != "27397" || former.CurrentName != "Phường Rạch Ông" || former.Rank != 1 ||
		!slices.Equal(former.OldShortNames, []string{"1"}) || former.OldDistrictShort != "8" {
		t.Errorf("former Phường 1, Quận 8 = %+v", *former)
	}
}

func TestProcedureDocsDropFoldedDuplicates(t *testing.T) {
	for _, d := range procedureDocs(loadKB(t)) {
		seen := map[string]bool{names.Fold(d.Name): true}
		for _, a := range d.Aliases {
			f := names.Fold(a)
			if seen[f] {
				t.Errorf("%s: alias %q repeats the name or another alias", d.ID, a)
			}
			seen[f] = true
		}
	}
}

// TestStopWordsNeverInProcedureNames keeps the stop words honest:
// Meilisearch compares words without diacritics, so a stop word also hides
// every word that folds like it ("ở" hides "ô"). Aliases are exempt — they
// are citizens' phrasings, where these words are chat — but the names and
// fields carry the meaning, and a stop word may occur there only where the
// loss was weighed (listed below).
func TestStopWordsNeverInProcedureNames(t *testing.T) {
	weighed := map[string]bool{
		"a dang-ky-le-hoi":    true, // "điểm a, c, d": no one searches for it
		"nao an-ninh-trat-tu": true, // "(… chưa xác minh cấp nào)": a remark
	}
	stop := map[string]bool{}
	for _, sw := range procedureStopWords() {
		stop[names.Fold(sw)] = true
	}
	for _, d := range procedureDocs(loadKB(t)) {
		for _, w := range strings.Fields(names.Fold(d.Name + " " + d.Field + " " + d.Authority)) {
			if stop[w] && !weighed[w+" "+d.ID] {
				t.Errorf("stop word %q occurs in the name, field or authority of %s", w, d.ID)
			}
		}
	}
	for _, meaningful := range []string{"vay", "nha", "lam", "can", "thi", "dau", "sao", "hoi", "minh", "cho", "em", "la", "o"} {
		if stop[meaningful] {
			t.Errorf("%q is a stop word but carries meaning in procedures (vay ngân hàng, nhà ở, việc làm, căn cước …)", meaningful)
		}
	}
}

func TestSynonymKeysAreSingleMeanings(t *testing.T) {
	all := merge(commonSynonyms(), placeSynonyms(), procedureSynonyms())
	for k, vs := range all {
		if k == "" || len(vs) == 0 {
			t.Errorf("empty synonym entry %q → %v", k, vs)
		}
		if names.Fold(k) == "hong" {
			t.Errorf(`%q folds to "hong" (Hồng, sổ hồng): keep it out`, k)
		}
	}
	if got := all["q1"]; !slices.Equal(got, []string{"quận 1"}) {
		t.Errorf("q1 → %v", got)
	}
	if !slices.Contains(all["quy"], "qui") || !slices.Contains(all["qui"], "quy") {
		t.Error("qui and quy are not mutual synonyms")
	}
}
