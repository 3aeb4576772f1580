package store

import (
	"slices"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// TestVersionNumbersHaveNoGaps: published versions are numbered the way
// an editor counts them. Drafts (opened, discarded, published) and
// rollbacks take no number besides the version they publish.
func TestVersionNumbersHaveNoGaps(t *testing.T) {
	ctx := t.Context()
	s := openStore(t)
	if v, err := s.SaveVersion(ctx, smallKB(t), "seed", "seed"); err != nil || v != 1 {
		t.Fatalf("seed saved as version %d (%v), want 1", v, err)
	}
	edit := func(phrase string) {
		t.Helper()
		if err := s.SaveSynonym(ctx, "an", knowledge.Synonym{Phrase: phrase, Means: "hộ khẩu"}); err != nil {
			t.Fatal(err)
		}
	}
	publish := func(changelog string) int {
		t.Helper()
		d, err := s.ClaimDraft(ctx)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.PublishDraft(ctx, "an", changelog, time.Time{}, d.Version, changelog)
		if err != nil {
			t.Fatal(err)
		}
		return info.Version
	}

	// A draft opened and thrown away leaves no trace in the numbering.
	edit("khau mot")
	if err := s.DiscardDraft(ctx, "an"); err != nil {
		t.Fatal(err)
	}
	edit("khau hai")
	got := []int{publish("first edit")}
	back, err := s.Republish(ctx, "binh", "Khôi phục phiên bản 1", 1, "rollback")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, back.Version)
	edit("khau ba") // a new draft, from version 3
	d, err := s.Draft(ctx, "an")
	if err != nil {
		t.Fatal(err)
	}
	if d.Version >= 0 || d.Base != 3 {
		t.Errorf("draft %+v: want a negative (hidden) number, based on version 3", d)
	}
	// A rollback while a draft is open takes the next number; the draft
	// published after it takes the one after.
	back, err = s.Republish(ctx, "binh", "Khôi phục phiên bản 2", 2, "rollback")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, back.Version, publish("second edit"))
	if want := []int{2, 3, 4, 5}; !slices.Equal(got, want) {
		t.Errorf("publish, rollback, rollback, publish numbered %v, want %v", got, want)
	}
	infos, err := s.Versions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var listed []int
	for _, v := range infos {
		listed = append(listed, v.Version)
	}
	if want := []int{5, 4, 3, 2, 1}; !slices.Equal(listed, want) {
		t.Errorf("versions listed %v, want %v (no draft left, no gap)", listed, want)
	}
	latest, err := s.Latest(ctx)
	if err != nil || latest.Version != 5 {
		t.Fatalf("latest %v (%v), want 5", latest.Version, err)
	}
	if !slices.ContainsFunc(latest.Synonyms, func(sy knowledge.Synonym) bool { return sy.Phrase == "khau ba" }) {
		t.Errorf("version 5 lacks the draft's edit: %+v", latest.Synonyms)
	}
}
