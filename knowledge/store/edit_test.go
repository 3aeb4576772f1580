package store

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// seeded is a store with the seed as published version 1.
func seeded(t *testing.T) (*Store, *knowledge.KB) {
	t.Helper()
	s := openStore(t)
	kb := seedKB(t)
	v, err := s.SaveVersion(t.Context(), kb, "seed", "seed")
	if err != nil {
		t.Fatal(err)
	}
	kb.Version = v
	return s, kb
}

func TestDraftIsACopy(t *testing.T) {
	ctx := t.Context()
	s, kb := seeded(t)
	if _, _, err := s.DraftKB(ctx); !errors.Is(err, ErrNoDraft) {
		t.Fatalf("DraftKB before any draft: %v, want ErrNoDraft", err)
	}
	d, err := s.Draft(ctx, "an")
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != -1 || d.Base != 1 || d.Revision != 0 {
		t.Errorf("draft %+v, want version -1 (drafts take no published number) from 1 at revision 0", d)
	}
	again, err := s.Draft(ctx, "binh")
	if err != nil || again.Version != d.Version {
		t.Errorf("second Draft = %+v, %v; want the same draft", again, err)
	}
	got, _, err := s.DraftKB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := *kb
	want.Version = d.Version
	compareKB(t, got, &want)
	if len(got.Synonyms) == 0 || len(got.Synonyms) != len(kb.Synonyms) {
		t.Errorf("draft has %d synonyms, want %d", len(got.Synonyms), len(kb.Synonyms))
	}
	if latest, err := s.Latest(ctx); err != nil || latest.Version != 1 {
		t.Errorf("Latest with a draft = version %v, %v; want 1", latest.Version, err)
	}
	if err := s.DiscardDraft(ctx, "an"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DraftKB(ctx); !errors.Is(err, ErrNoDraft) {
		t.Errorf("DraftKB after discard: %v, want ErrNoDraft", err)
	}
}

func TestSaveDeleteAudited(t *testing.T) {
	ctx := t.Context()
	s, kb := seeded(t)
	p := kb.Procedures[0]
	before := p
	p.Fee = "10.000 đồng"
	var hcmc knowledge.Unit
	for _, u := range kb.Units {
		if u.InHCMC() {
			hcmc = u
			break
		}
	}
	office := knowledge.Unit{Code: hcmc.Code, Name: "ignored", Address: "86 Lê Thánh Tôn", Hotline: "1900 1234", MapURL: "https://maps.example/x"}
	sp := knowledge.ServicePoint{ID: "tt-hcc", Name: "Trung tâm HCC", Address: "1 Lê Duẩn", Matters: []string{p.ID}}
	ca := knowledge.CuratedAnswer{ID: "ks-o-dau", Questions: []string{"khai sinh ở đâu"}, Answer: "UBND phường", ProcedureID: p.ID, UnitCode: hcmc.Code}
	steps := []struct {
		name string
		do   func() error
	}{
		{"procedure", func() error { return s.SaveProcedure(ctx, "an", p) }},
		{"office", func() error { return s.SaveOffice(ctx, "an", office) }},
		{"service point", func() error { return s.SaveServicePoint(ctx, "an", sp) }},
		{"curated", func() error { return s.SaveCurated(ctx, "binh", ca) }},
		{"synonym", func() error {
			return s.SaveSynonym(ctx, "binh", knowledge.Synonym{Phrase: "Giấy Khai Sinh", Means: "khai sinh"})
		}},
		{"delete synonym", func() error { return s.DeleteSynonym(ctx, "binh", "giấy khai sinh") }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
	}
	got, d, err := s.DraftKB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Revision != len(steps) || d.UpdatedBy != "binh" {
		t.Errorf("draft %+v, want revision %d by binh", d, len(steps))
	}
	if got.Procedures[0].Fee != p.Fee || len(got.ServicePoints) != 1 || len(got.Curated) != len(kb.Curated)+1 {
		t.Errorf("draft: fee %q, %d service points, %d curated", got.Procedures[0].Fee, len(got.ServicePoints), len(got.Curated))
	}
	for _, u := range got.Units {
		if u.Code == hcmc.Code && (u.Name != hcmc.Name || u.Address != office.Address || u.Hotline != office.Hotline || u.MapURL != office.MapURL) {
			t.Errorf("office after save: %+v", u)
		}
	}
	if len(got.Synonyms) != len(kb.Synonyms) {
		t.Errorf("synonyms %d, want %d (one added, then deleted)", len(got.Synonyms), len(kb.Synonyms))
	}
	// Deleting a procedure a curated answer uses is refused.
	if err := s.DeleteProcedure(ctx, "an", p.ID); !errors.Is(err, knowledge.ErrInvalid) {
		t.Errorf("delete a used procedure: %v, want ErrInvalid", err)
	}
	if err := s.DeleteCurated(ctx, "an", ca.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteServicePoint(ctx, "an", sp.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteProcedure(ctx, "an", p.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteProcedure(ctx, "an", p.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: %v, want ErrNotFound", err)
	}
	entries, err := s.Audit(ctx, AuditQuery{Actor: "an"})
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: the procedure's delete, …, its update, the draft's creation.
	last := entries[len(entries)-2]
	if last.Action != "update" || last.Entity != "procedure" || last.EntityID != p.ID || !strings.Contains(last.Summary, "fee") {
		t.Errorf("procedure update entry: %+v", last)
	}
	var b, a knowledge.Procedure
	if json.Unmarshal([]byte(last.Before), &b) != nil || json.Unmarshal([]byte(last.After), &a) != nil || b.Fee != before.Fee || a.Fee != p.Fee {
		t.Errorf("before/after: %s → %s", last.Before, last.After)
	}
	if entries[0].Action != "delete" || entries[0].Before == "" || entries[0].After != "" {
		t.Errorf("delete entry: %+v", entries[0])
	}
	if entries[len(entries)-1].Entity != "draft" {
		t.Errorf("first entry: %+v, want the draft's creation", entries[len(entries)-1])
	}
	found, err := s.Audit(ctx, AuditQuery{Text: "ks-o-dau"})
	if err != nil || len(found) != 2 {
		t.Errorf("text search: %d entries (%v), want the curated answer's save and delete", len(found), err)
	}
	if err := s.Record(ctx, AuditEntry{Actor: "an", Action: "done", Entity: "unanswered", EntityID: "g1", Summary: "Đã xử lý nhóm câu hỏi"}); err != nil {
		t.Fatal(err)
	}
	if done, err := s.Audit(ctx, AuditQuery{Action: "done"}); err != nil || len(done) != 1 || done[0].At.IsZero() {
		t.Errorf("recorded entry: %+v, %v", done, err)
	}
}

func TestSaveValidation(t *testing.T) {
	ctx := t.Context()
	s, kb := seeded(t)
	var other knowledge.Unit
	for _, u := range kb.Units {
		if !u.InHCMC() {
			other = u
			break
		}
	}
	tests := []struct {
		name  string
		do    func() error
		field string
	}{
		{"procedure id", func() error {
			p := kb.Procedures[0]
			p.ID = "Khai Sinh"
			return s.SaveProcedure(ctx, "an", p)
		}, "id"},
		{"procedure name", func() error {
			p := kb.Procedures[0]
			p.Name = " "
			return s.SaveProcedure(ctx, "an", p)
		}, "name"},
		{"office outside HCMC", func() error { return s.SaveOffice(ctx, "an", knowledge.Unit{Code: other.Code}) }, "code"},
		{"office map", func() error {
			return s.SaveOffice(ctx, "an", knowledge.Unit{Code: kb.Units[len(kb.Units)-1].Code, MapURL: "http://x"})
		}, "code"},
		{"service point matter", func() error {
			return s.SaveServicePoint(ctx, "an", knowledge.ServicePoint{ID: "sp", Name: "n", Address: "a", Matters: []string{"khong-co"}})
		}, "matters"},
		{"curated source", func() error {
			return s.SaveCurated(ctx, "an", knowledge.CuratedAnswer{ID: "ca", Questions: []string{"q"}, Answer: "a", SourceURL: "http://x"})
		}, "source_url"},
		{"synonym", func() error {
			return s.SaveSynonym(ctx, "an", knowledge.Synonym{Phrase: "hộ khẩu", Means: "Hộ Khẩu"})
		}, "means"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			var ps knowledge.Problems
			if !errors.Is(err, knowledge.ErrInvalid) || !errors.As(err, &ps) {
				t.Fatalf("%v, want ErrInvalid", err)
			}
			fields := ""
			for _, p := range ps {
				fields += p.Field + " "
			}
			if !strings.Contains(fields, tt.field) {
				t.Errorf("problems %v, want one on %q", ps, tt.field)
			}
		})
	}
	// Each rejected save rolled back the draft it would have created.
	if _, _, err := s.DraftKB(ctx); !errors.Is(err, ErrNoDraft) {
		t.Errorf("draft after rejected saves: %v; want none", err)
	}
}

func TestApplyImport(t *testing.T) {
	ctx := t.Context()
	s, _ := seeded(t)
	if err := s.SaveServicePoint(ctx, "an", knowledge.ServicePoint{ID: "tt-hcc", Name: "Trung tâm HCC", Address: "1 Lê Duẩn"}); err != nil {
		t.Fatal(err)
	}
	draft, d, err := s.DraftKB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p0 := draft.Procedures[0]
	file := "id,name,address,matters\n" +
		"tt-hcc,Trung tâm Phục vụ hành chính công,1 Lê Duẩn,khai-sinh\n" + // changed
		"vpdk-1,Chi nhánh VPĐKĐĐ số 1,2 Nguyễn Huệ,khong-co\n" + // bad matter
		"vpdk-2,Chi nhánh VPĐKĐĐ số 2,,\n" + // bad: address missing
		"vpdk-3,Chi nhánh VPĐKĐĐ số 3,3 Hai Bà Trưng," + p0.ID + "\n" // added
	imp, err := knowledge.ImportCSV(strings.NewReader(file), "diem.csv", knowledge.TableServicePoints, draft)
	if err != nil {
		t.Fatal(err)
	}
	wantErrs := knowledge.RowErrors{
		{File: "diem.csv", Row: 3, Column: "matters", Reason: `không có thủ tục mã "khong-co"`},
		{File: "diem.csv", Row: 4, Column: "address", Reason: "bắt buộc, đang để trống"},
	}
	if len(imp.Errors) != 2 || imp.Errors[0] != wantErrs[0] || imp.Errors[1] != wantErrs[1] {
		t.Errorf("errors %#v\nwant %#v", imp.Errors, wantErrs)
	}
	if len(imp.Diff.Added) != 1 || len(imp.Diff.Changed) != 1 || len(imp.Diff.Removed) != 0 {
		t.Fatalf("diff %+v", imp.Diff)
	}
	if err := s.ApplyImport(ctx, "an", imp, d.Revision+1); !errors.Is(err, ErrConflict) {
		t.Errorf("stale revision: %v, want ErrConflict", err)
	}
	if err := s.ApplyImport(ctx, "an", imp, d.Revision); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyImport(ctx, "an", imp, d.Revision); !errors.Is(err, ErrConflict) {
		t.Errorf("applying twice: %v, want ErrConflict", err)
	}
	got, d2, err := s.DraftKB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d2.Revision != d.Revision+1 {
		t.Errorf("revision %d, want %d", d2.Revision, d.Revision+1)
	}
	want := *draft
	want.ServicePoints = []knowledge.ServicePoint{
		{ID: "tt-hcc", Name: "Trung tâm Phục vụ hành chính công", Address: "1 Lê Duẩn", Matters: []string{"khai-sinh"}},
		{ID: "vpdk-3", Name: "Chi nhánh VPĐKĐĐ số 3", Address: "3 Hai Bà Trưng", Matters: []string{p0.ID}},
	}
	compareKB(t, got, &want) // nothing else changed
	for i := range want.ServicePoints {
		if g, w := got.ServicePoints[i], want.ServicePoints[i]; g.ID != w.ID || g.Name != w.Name || len(g.Matters) != 1 || g.Matters[0] != w.Matters[0] {
			t.Errorf("service point %d = %+v, want %+v", i, g, w)
		}
	}
	entries, err := s.Audit(ctx, AuditQuery{Action: "import"})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Summary, "thêm 1, sửa 1, xoá 0 (2 dòng lỗi") {
		t.Errorf("import audit: %+v, %v", entries, err)
	}
}

func TestRecoverDraftAfterACrashMidPublish(t *testing.T) {
	ctx := t.Context()
	s, _ := seeded(t)
	if _, err := s.Draft(ctx, "editor"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimDraft(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSynonym(ctx, "editor", knowledge.Synonym{Phrase: "gks", Means: "giấy khai sinh"}); !errors.Is(err, ErrBusy) {
		t.Fatalf("edit during a publish: %v, want ErrBusy", err)
	}
	if err := s.RecoverDraft(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSynonym(ctx, "editor", knowledge.Synonym{Phrase: "gks", Means: "giấy khai sinh"}); err != nil {
		t.Errorf("edit after recovery: %v", err)
	}
}
