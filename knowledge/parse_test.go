package knowledge

import (
	"strings"
	"testing"
)

// A CSV with good and bad rows: every bad cell is reported by file, row
// (as a spreadsheet numbers it) and column; every good row is kept.
func TestParseProceduresReportsBadRows(t *testing.T) {
	csv := strings.Join([]string{
		strings.Join(ProcedureColumns[:len(ProcedureColumns)-1], ","), // the seed's file has no examples column
		`khai-sinh,Đăng ký khai sinh,khai sinh|làm giấy khai sinh,Hộ tịch,UBND cấp xã,xa,,yes,yes,trong ngày,miễn,tờ khai; giấy chứng sinh,Luật Hộ tịch,https://example.gov.vn/a,high`,
		`,Không có mã,,Hộ tịch,UBND cấp xã,xa,,yes,yes,,,,,https://example.gov.vn/b,high`,
		`ket-hon,Đăng ký kết hôn,,Hộ tịch,UBND cấp xã,phuong,,maybe,yes,,,,,ftp://x,high`,
		`khai-sinh,Trùng mã,,Hộ tịch,UBND cấp xã,xa,,yes,yes,,,,,,medium`,
		`thieu-cot,Thiếu cột`,
		`khai-tu,Đăng ký khai tử,,Hộ tịch,UBND cấp xã,xa|xa_cong_an,,no,partial,,,,,,low`,
	}, "\n")
	procs, errs, err := ParseProcedures(strings.NewReader(csv), "procedures.csv")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range procs {
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, ",") != "khai-sinh,khai-tu" {
		t.Errorf("good rows = %v, want khai-sinh,khai-tu", ids)
	}
	want := []struct {
		row    int
		column string
	}{
		{3, "id"}, {4, "file_anywhere"}, {4, "office_levels"}, {4, "source_url"}, {5, "id"}, {6, ""},
	}
	if len(errs) != len(want) {
		t.Fatalf("%d errors, want %d: %v", len(errs), len(want), errs)
	}
	for i, w := range want {
		e := errs[i]
		if e.File != "procedures.csv" || e.Row != w.row || e.Column != w.column || e.Reason == "" {
			t.Errorf("error %d = %+v, want row %d column %q", i, e, w.row, w.column)
		}
	}
	if procs[1].OfficeLevels[1] != LevelCommunePolice || !procs[0].AtCommune() {
		t.Errorf("lists not split: %+v", procs[1].OfficeLevels)
	}
}

func TestParseMissingColumns(t *testing.T) {
	_, _, err := ParseUnits(strings.NewReader("code,name\n00001,X\n"), "units.csv")
	if err == nil || !strings.Contains(err.Error(), "type") {
		t.Fatalf("err = %v, want the missing columns named", err)
	}
}

func TestParseUnitsCodes(t *testing.T) {
	csv := "code,name,type,short_name,resolution\n" +
		"26740,Phường Sài Gòn,phuong,Sài Gòn,1685/NQ-UBTVQH15\n" +
		"2674,Phường Thiếu Số,phuong,Thiếu Số,1685/NQ-UBTVQH15\n" +
		"2674A,Phường Chữ,phuong,Chữ,1685/NQ-UBTVQH15\n" +
		"26743,Phường Bến Thành,quan,Bến Thành,1685/NQ-UBTVQH15\n"
	units, errs, err := ParseUnits(strings.NewReader(csv), "units.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 1 || units[0].Code != "26740" || !units[0].InHCMC() {
		t.Errorf("units = %+v", units)
	}
	if len(errs) != 3 || errs[0].Row != 3 || errs[1].Row != 4 || errs[2].Column != "type" {
		t.Errorf("errors = %v", errs)
	}
	if !strings.Contains(errs.Error(), "units.csv: row 3") {
		t.Errorf("RowErrors text = %q", errs.Error())
	}
}

// Example questions: a bad row is reported by row and column, the good
// ones are kept, grouped by procedure in file order.
func TestParseProcedureExamplesReportsBadRows(t *testing.T) {
	csv := strings.Join([]string{
		"procedure_id,example",
		"khai-sinh,vợ mới sinh em bé làm giấy gì",
		"khai-sinh,",
		"khong-co,hai đứa muốn cưới",
		"ket-hon,hai đứa muốn cưới",
		"ket-hon,a | b",
		"khai-sinh,lam giay cho be o dau",
	}, "\n")
	got, errs, err := ParseProcedureExamples(strings.NewReader(csv), "procedure_examples.csv", map[string]bool{"khai-sinh": true, "ket-hon": true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got["khai-sinh"], "/") != "vợ mới sinh em bé làm giấy gì/lam giay cho be o dau" || len(got["ket-hon"]) != 1 {
		t.Errorf("examples = %v", got)
	}
	want := []struct {
		row int
		col string
	}{{3, "example"}, {4, "procedure_id"}, {6, "example"}}
	if len(errs) != len(want) {
		t.Fatalf("errors = %v", errs)
	}
	for i, w := range want {
		if errs[i].Row != w.row || errs[i].Column != w.col {
			t.Errorf("error %d = %v, want row %d column %q", i, errs[i], w.row, w.col)
		}
	}
}
