package knowledge_test

import (
	"bytes"
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// editedKB is the seed with a few records in the tables the seed leaves
// empty, and one office filled in.
func editedKB(t *testing.T) *knowledge.KB {
	t.Helper()
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	kb.ServicePoints = []knowledge.ServicePoint{
		{ID: "tt-hcc", Name: "Trung tâm Phục vụ hành chính công", Address: "1 Lê Duẩn, Phường Sài Gòn", Phone: "028 1234", Matters: []string{"khai-sinh", "lien-thong-khai-sinh"}},
		{ID: "vpdkdd-cn1", Name: "Chi nhánh VPĐKĐĐ số 1", Address: "2 Nguyễn Huệ", MapURL: "https://maps.example/1", Notes: "ghi chú, có dấu phẩy"},
	}
	kb.Curated = []knowledge.CuratedAnswer{
		{ID: "khai-sinh-o-dau", Questions: []string{"khai sinh ở đâu", "làm giấy khai sinh ở đâu"}, Answer: "Tại UBND phường nơi cư trú.\nMiễn phí.", ProcedureID: "khai-sinh", SourceURL: "https://example.vn/a"},
	}
	for i := range kb.Units {
		if kb.Units[i].InHCMC() {
			kb.Units[i].Address, kb.Units[i].Hours, kb.Units[i].MapURL = "86 Lê Thánh Tôn", "T2–T6 7:30–17:00", "https://maps.example/u"
			break
		}
	}
	return kb
}

func TestExportImportRoundTrip(t *testing.T) {
	kb := editedKB(t)
	for _, table := range knowledge.EditableTables {
		t.Run(table, func(t *testing.T) {
			var buf bytes.Buffer
			if err := knowledge.ExportCSV(&buf, kb, table); err != nil {
				t.Fatal(err)
			}
			imp, err := knowledge.ImportCSV(bytes.NewReader(buf.Bytes()), table+".csv", table, kb)
			if err != nil {
				t.Fatal(err)
			}
			if len(imp.Errors) > 0 || !imp.Diff.Empty() || imp.Rows == 0 {
				t.Errorf("rows %d, errors %v, diff %+v; want rows, no errors, an empty diff", imp.Rows, imp.Errors, imp.Diff)
			}
		})
	}
}

// A cell a spreadsheet would run as a formula is exported as text ("'=…")
// and imports back as it was.
func TestExportNeutralisesFormulas(t *testing.T) {
	kb := editedKB(t)
	kb.Procedures[0].Fee = `=HYPERLINK("http://evil.example","Bấm vào đây")`
	var buf bytes.Buffer
	if err := knowledge.ExportCSV(&buf, kb, knowledge.TableProcedures); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `,"=HYPERLINK`) || !strings.Contains(buf.String(), `"'=HYPERLINK`) {
		t.Fatalf("export does not neutralise the formula:\n%s", buf.String())
	}
	imp, err := knowledge.ImportCSV(bytes.NewReader(buf.Bytes()), "procedures.csv", knowledge.TableProcedures, kb)
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Errors) > 0 || !imp.Diff.Empty() {
		t.Errorf("errors %v, diff %+v; want the fee back unchanged", imp.Errors, imp.Diff)
	}
}

// The seed's own files import as their tables with nothing to change.
func TestSeedFilesImport(t *testing.T) {
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ file, table string }{
		{"procedures/procedures.csv", knowledge.TableProcedures},
		{"synonyms.csv", knowledge.TableSynonyms},
		// Offices come from offices/hcmc_offices.csv (several rows per
		// unit, see knowledge.ApplyOffices); the table's own file is its
		// export, which TestExportImportRoundTrip covers.
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			b, err := fs.ReadFile(seed.FS(), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			imp, err := knowledge.ImportCSV(bytes.NewReader(b), tt.file, tt.table, kb)
			if err != nil {
				t.Fatal(err)
			}
			if len(imp.Errors) > 0 || !imp.Diff.Empty() {
				t.Errorf("errors %v, diff %+v; want none", imp.Errors, imp.Diff)
			}
		})
	}
}

func TestImportMixedRows(t *testing.T) {
	kb := editedKB(t)
	var buf bytes.Buffer
	if err := knowledge.ExportCSV(&buf, kb, knowledge.TableProcedures); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	header := lines[0]
	// Keep rows 2–4 (procedures 0–2), change the fee of procedure 1, break
	// procedure 2's confidence, add a good and a bad new procedure, repeat
	// a key, and drop every other procedure (removed, except bad ones).
	p1 := kb.Procedures[1]
	p1.Fee = "50.000 đồng"
	row := func(p knowledge.Procedure) string {
		var b bytes.Buffer
		k := &knowledge.KB{Procedures: []knowledge.Procedure{p}}
		if err := knowledge.ExportCSV(&b, k, knowledge.TableProcedures); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSuffix(strings.SplitN(b.String(), "\n", 2)[1], "\n")
	}
	p2 := kb.Procedures[2]
	p2.Confidence = "chắc chắn"
	added := knowledge.Procedure{ID: "cap-ban-sao", Name: "Cấp bản sao trích lục", Authority: "UBND cấp xã", OfficeLevels: []string{"xa"},
		FileAnywhere: "yes", Online: "yes", Confidence: "medium", SourceURLs: []string{"https://example.vn/x"}}
	badNew := added
	badNew.ID, badNew.OfficeLevels, badNew.SourceURLs = "Mã Sai", []string{"quan"}, []string{"ftp://x"}
	dup := kb.Procedures[0]
	dup.Name = "khác"
	file := strings.Join([]string{header, lines[1], row(p1), row(p2), row(added), row(badNew), row(dup), lines[1]}, "\n") + "\n"
	imp, err := knowledge.ImportCSV(strings.NewReader(file), "thu-tuc.csv", knowledge.TableProcedures, kb)
	if err != nil {
		t.Fatal(err)
	}
	wantErrs := knowledge.RowErrors{
		{File: "thu-tuc.csv", Row: 4, Column: "confidence", Reason: `giá trị "chắc chắn" không hợp lệ; chỉ nhận: high, medium, low`},
		{File: "thu-tuc.csv", Row: 6, Column: "id", Reason: `mã "Mã Sai" chỉ gồm chữ thường không dấu, số và dấu gạch ngang (2–60 ký tự)`},
		{File: "thu-tuc.csv", Row: 6, Column: "office_levels", Reason: `cấp "quan" không hợp lệ; chỉ nhận: xa, xa_cong_an, vpdkdd, thanh_pho, khac`},
		{File: "thu-tuc.csv", Row: 6, Column: "source_url", Reason: `"ftp://x" không phải là đường dẫn http(s)`},
		{File: "thu-tuc.csv", Row: 7, Column: "id", Reason: `mã "khai-sinh" bị trùng với dòng 2`},
	}
	if !reflect.DeepEqual(imp.Errors, wantErrs) {
		t.Errorf("errors:\n got %#v\nwant %#v", imp.Errors, wantErrs)
	}
	if imp.Rows != 7 {
		t.Errorf("rows = %d, want 7", imp.Rows)
	}
	if len(imp.Diff.Added) != 1 || imp.Diff.Added[0].Key != "cap-ban-sao" {
		t.Errorf("added = %+v", imp.Diff.Added)
	}
	wantChanged := []knowledge.RowChange{{Key: p1.ID, Label: p1.Name, Fields: []knowledge.FieldChange{{Field: "fee", Before: kb.Procedures[1].Fee, After: "50.000 đồng"}}}}
	if !reflect.DeepEqual(imp.Diff.Changed, wantChanged) {
		t.Errorf("changed:\n got %+v\nwant %+v", imp.Diff.Changed, wantChanged)
	}
	if got, want := len(imp.Diff.Removed), len(kb.Procedures)-3; got != want {
		t.Errorf("removed %d, want %d (all but the three in the file)", got, want)
	}
	for _, r := range imp.Diff.Removed {
		if r.Key == p2.ID || r.Key == kb.Procedures[0].ID || r.Key == p1.ID {
			t.Errorf("removed %q, which the file has", r.Key)
		}
	}
	// Applied to a copy of the draft: the good rows are there, the rest unchanged.
	after := *kb
	after.Procedures = append([]knowledge.Procedure(nil), kb.Procedures...)
	if err := knowledge.ApplyDiff(&after, knowledge.TableProcedures, imp.Diff); err != nil {
		t.Fatal(err)
	}
	want := []knowledge.Procedure{kb.Procedures[0], p1, kb.Procedures[2], added}
	if !reflect.DeepEqual(after.Procedures, want) {
		t.Errorf("procedures after apply:\n got %+v\nwant %+v", after.Procedures, want)
	}
}

func TestImportMissingColumnAndBadTable(t *testing.T) {
	kb := editedKB(t)
	imp, err := knowledge.ImportCSV(strings.NewReader("id,name\nkhai-sinh,x\n"), "p.csv", knowledge.TableProcedures, kb)
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Errors) != 2 || imp.Errors[0].Row != 1 || imp.Errors[0].Column != "authority" || imp.Errors[1].Column != "office_levels" || !imp.Diff.Empty() {
		t.Errorf("import without required columns: %+v", imp)
	}
	if _, err := knowledge.ImportCSV(strings.NewReader(""), "p.csv", knowledge.TableProcedures, kb); err == nil {
		t.Error("an empty file imported")
	}
	if _, err := knowledge.ImportCSV(strings.NewReader("a\n"), "p.csv", "units", kb); err == nil {
		t.Error("a non-editable table imported")
	}
}

func TestImportOffices(t *testing.T) {
	kb := editedKB(t)
	var hcmc, other knowledge.Unit
	for _, u := range kb.Units {
		if u.InHCMC() && hcmc.Code == "" {
			hcmc = u
		}
		if !u.InHCMC() && other.Code == "" {
			other = u
		}
	}
	file := "code,address,hotline,map_url\n" +
		hcmc.Code + ",1 Đồng Khởi,1900 1234,https://maps.example/x\n" +
		other.Code + ",x,,\n" +
		"99999,x,,\n" +
		hcmc.Code + "x,,,http://insecure\n"
	imp, err := knowledge.ImportCSV(strings.NewReader(file), "o.csv", knowledge.TableOffices, kb)
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Errors) != 4 || imp.Errors[0].Row != 3 || imp.Errors[1].Row != 4 || imp.Errors[3].Column != "map_url" {
		t.Errorf("errors: %v", imp.Errors)
	}
	if len(imp.Diff.Changed) != 1 || len(imp.Diff.Removed) != 0 || len(imp.Diff.Added) != 0 {
		t.Fatalf("diff: %+v", imp.Diff)
	}
	got := imp.Diff.Changed[0]
	want := knowledge.RowChange{Key: hcmc.Code, Label: hcmc.Name, Fields: []knowledge.FieldChange{
		{Field: "address", Before: hcmc.Address, After: "1 Đồng Khởi"},
		{Field: "hotline", Before: "", After: "1900 1234"},
		{Field: "map_url", Before: hcmc.MapURL, After: "https://maps.example/x"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changed:\n got %+v\nwant %+v", got, want)
	}
}

func TestValidateErrInvalid(t *testing.T) {
	refs := knowledge.RefsOf(editedKB(t))
	errs := []error{
		knowledge.Procedure{ID: "x"}.Validate(),
		knowledge.CuratedAnswer{ID: "ok-id", Questions: []string{"a"}, Answer: "b", ProcedureID: "khong-co"}.Validate(refs),
		knowledge.ServicePoint{ID: "sp", Name: "n", Address: "a", MapURL: "http://x"}.Validate(refs),
		knowledge.Synonym{Phrase: "a", Means: "a"}.Validate(),
		knowledge.Unit{Code: "00001"}.ValidateOffice(refs),
	}
	for i, err := range errs {
		var ps knowledge.Problems
		if !errors.Is(err, knowledge.ErrInvalid) || !errors.As(err, &ps) || len(ps) == 0 {
			t.Errorf("case %d: %v, want an ErrInvalid with problems", i, err)
		}
	}
}
