package knowledge

import (
	"strings"
	"testing"
)

const officesHeader = "unit_code,unit_name,office_kind,address,phone,hours,source_url,source_date,confidence"

// Every bad cell of the offices research file is reported by file, row
// (as a spreadsheet numbers it) and column; every good row is kept.
func TestParseOfficesReportsBadRows(t *testing.T) {
	csv := strings.Join([]string{
		officesHeader,
		`26737,Phường Tân Định,hcc,"58B Nguyễn Đình Chiểu, phường Tân Định",028.39102126,,https://thuviennhadat.vn/x,2025-06-25 (TB 243/TB-UBND),high`,
		`2673,Phường Thiếu Số,hcc,1 Lê Lợi,,,https://a.vn/x,2025-06-25,high`,
		`26740,Phường Sài Gòn,tru_so,45 Lê Duẩn,,,https://a.vn/x,2025-06-25,high`,
		`26740,Phường Sài Gòn,hcc,,,,https://a.vn/x,2025-06-25,high`,
		`26740,Phường Sài Gòn,hcc,45 Lê Duẩn,gọi 1022,,https://a.vn/x,2025-06-25,high`,
		`26740,Phường Sài Gòn,hcc,45 Lê Duẩn,,,https://a.vn/x,hôm qua,high`,
		`26740,Phường Sài Gòn,ubnd,45 Lê Duẩn,,,https://a.vn/x,2025-06-25,chắc chắn`,
		`26740,Phường Sài Gòn,ubnd`,
		`26743,Phường Bến Thành,ubnd,92 Nguyễn Trãi [UBND],,,https://vi.wikipedia.org/wiki/B,crawl late 2025,low`,
	}, "\n")
	rows, errs, err := ParseOffices(strings.NewReader(csv), "hcmc_offices.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].UnitCode != "26737" || rows[0].Row != 2 || rows[1].UnitCode != "26743" || rows[1].Row != 10 {
		t.Errorf("good rows = %+v, want 26737 (row 2) and 26743 (row 10)", rows)
	}
	want := []struct {
		row    int
		column string
	}{
		{3, "unit_code"}, {4, "office_kind"}, {5, "address"}, {6, "phone"}, {7, "source_date"}, {8, "confidence"}, {9, ""},
	}
	if len(errs) != len(want) {
		t.Fatalf("%d errors, want %d: %v", len(errs), len(want), errs)
	}
	for i, w := range want {
		if e := errs[i]; e.File != "hcmc_offices.csv" || e.Row != w.row || e.Column != w.column || e.Reason == "" {
			t.Errorf("error %d = %+v, want row %d column %q", i, e, w.row, w.column)
		}
	}
}

func TestParseOfficesMissingColumns(t *testing.T) {
	_, _, err := ParseOffices(strings.NewReader("unit_code,address\n26737,x\n"), "hcmc_offices.csv")
	if err == nil || !strings.Contains(err.Error(), "office_kind") || !strings.Contains(err.Error(), "confidence") {
		t.Fatalf("err = %v, want the missing columns named", err)
	}
}

func officeKB() *KB {
	unit := func(code, name string) Unit {
		return Unit{Code: code, Name: name, Type: "phuong", ProvinceCode: HCMCProvinceCode, Province: "Thành phố Hồ Chí Minh"}
	}
	return &KB{Units: []Unit{
		unit("26737", "Phường Tân Định"), unit("25750", "Phường Phú Lợi"), unit("25768", "Phường Phú An"),
		unit("27418", "Phường Chánh Hưng"), unit("26791", "Phường Đông Hưng Thuận"), unit("26743", "Phường Bến Thành"),
		{Code: "00001", Name: "Phường Phúc Xá", ProvinceCode: "01"},
	}}
}

// ApplyOffices picks, per unit, the highest-confidence desk and UBND
// addresses, the first phone and police address, names the sources with
// their newest date, keeps other reception points of the same list as
// notes, and flags a desk another source puts elsewhere — unless the
// crosscheck found the two to agree.
func TestApplyOffices(t *testing.T) {
	const (
		tb  = "github-index-file-id:5808048217 (TypeScript constant)"
		tbd = "undated code file (list matches TB 243/TB-UBND of 2025-06-25)"
		tr  = "https://github.com/dtnhcmussh/chaothanhphomoi/blob/fdc5584/Truso.json"
		trd = "2026-03-28 (commit date)"
	)
	rows := []OfficeRow{
		{Row: 2, UnitCode: "26737", UnitName: "Phường Tân Định", Kind: OfficeDesk, Address: "58B Nguyễn Đình Chiểu, phường Tân Định", Phone: "028.39102126", SourceURL: tb243URL, SourceDate: "2025-06-25 (TB 243/TB-UBND, Phụ lục II)", Confidence: "high"},
		{Row: 3, UnitCode: "26737", UnitName: "Phường Tân Định", Kind: OfficeUBND, Address: "Số 58B Nguyễn Đình Chiểu [HĐND - UBND]", SourceURL: tr, SourceDate: trd, Confidence: "medium"},
		{Row: 4, UnitCode: "25750", UnitName: "Phường Phú Lợi", Kind: OfficeDesk, Address: "Số 438, đường Phú Lợi, phường Phú Lợi", SourceURL: tb, SourceDate: tbd, Confidence: "high"},
		{Row: 5, UnitCode: "25750", UnitName: "Phường Phú Lợi", Kind: OfficeDesk, Address: "Trung tâm Phục vụ hành chính công phường Phú Lợi – đường dây nóng", Phone: "02743.904.872", SourceURL: "https://nld.com.vn/a.htm ; https://plo.vn/b.html", SourceDate: "2025-11-06 / 2025-11-07", Confidence: "high"},
		{Row: 6, UnitCode: "25768", UnitName: "Phường Phú An", Kind: OfficeDesk, Address: "đường Nguyễn Đức Cảnh, khu phố 4", SourceURL: tr, SourceDate: trd, Confidence: "low"},
		{Row: 7, UnitCode: "25768", UnitName: "Phường Phú An", Kind: OfficeDesk, Address: "Số 143, đường Nguyễn Đức Cảnh, phường Phú An", SourceURL: tb, SourceDate: tbd, Confidence: "medium"},
		{Row: 8, UnitCode: "27418", UnitName: "Phường Chánh Hưng", Kind: OfficeDesk, Address: "39 Dương Bạch Mai (trụ sở chính)", SourceURL: tb, SourceDate: tbd, Confidence: "medium"},
		{Row: 9, UnitCode: "27418", UnitName: "Phường Chánh Hưng", Kind: OfficeDesk, Address: "210-212 Âu Dương Lân (điểm tiếp nhận thứ nhất)", SourceURL: tb, SourceDate: tbd, Confidence: "medium"},
		{Row: 10, UnitCode: "27418", UnitName: "Phường Chánh Hưng", Kind: OfficePolice, Address: "993 Phạm Thế Hiển", SourceURL: "https://thanhnien.vn/x.htm", SourceDate: "2025-06-30", Confidence: "medium"},
		{Row: 11, UnitCode: "26791", UnitName: "Phường Đông Hưng Thuận", Kind: OfficeDesk, Address: "Số 68, đường TTN14", SourceURL: tb, SourceDate: tbd, Confidence: "high"},
		{Row: 12, UnitCode: "26791", UnitName: "Phường Đông Hưng Thuận", Kind: OfficeDesk, Address: "68 Tân Thới Nhất 14", SourceURL: tr, SourceDate: trd, Confidence: "low"},
		{Row: 13, UnitCode: "00001", UnitName: "Phường Phúc Xá", Kind: OfficeDesk, Address: "1 Phúc Xá", SourceURL: tb, SourceDate: tbd, Confidence: "high"},
		{Row: 14, UnitCode: "26743", UnitName: "Phường Bến Nghé", Kind: OfficeDesk, Address: "92 Nguyễn Trãi", SourceURL: tb, SourceDate: tbd, Confidence: "high"},
	}
	kb := officeKB()
	errs := ApplyOffices(kb, rows, map[string]string{"26791": VerdictAgree, "25768": "DIFFER"}, "hcmc_offices.csv")
	if len(errs) != 2 || errs[0].Row != 13 || errs[0].Column != "unit_code" || errs[1].Row != 14 || errs[1].Column != "unit_name" {
		t.Errorf("errors = %v, want row 13 unit_code (not an HCMC unit) and row 14 unit_name", errs)
	}
	units := map[string]Unit{}
	for _, u := range kb.Units {
		units[u.Code] = u
	}
	tests := []struct {
		code string
		want Unit
	}{
		{"26737", Unit{Address: "58B Nguyễn Đình Chiểu, phường Tân Định", UBNDAddress: "Số 58B Nguyễn Đình Chiểu", Phone: "028.39102126",
			OfficeSource: "TB 243/TB-UBND; Truso.json", OfficeSourceURL: tb243URL, OfficeAsOf: "2026-03-28", OfficeConfidence: "high"}},
		{"25750", Unit{Address: "Số 438, đường Phú Lợi, phường Phú Lợi", Phone: "02743.904.872",
			OfficeSource: "TB 243/TB-UBND; nld.com.vn", OfficeSourceURL: tb243URL, OfficeAsOf: "2025-11-06", OfficeConfidence: "high"}},
		{"25768", Unit{Address: "Số 143, đường Nguyễn Đức Cảnh, phường Phú An", OfficeSource: "TB 243/TB-UBND", OfficeSourceURL: tb243URL,
			OfficeAsOf: "2025-06-25", OfficeConfidence: "medium",
			OfficeCheck: "Nguồn khác ghi địa chỉ Trung tâm khác: đường Nguyễn Đức Cảnh, khu phố 4 (Truso.json, độ tin cậy thấp)"}},
		{"27418", Unit{Address: "39 Dương Bạch Mai (trụ sở chính)", PoliceAddress: "993 Phạm Thế Hiển",
			OfficeNotes:  "Điểm tiếp nhận khác: 210-212 Âu Dương Lân (điểm tiếp nhận thứ nhất)",
			OfficeSource: "TB 243/TB-UBND; thanhnien.vn", OfficeSourceURL: tb243URL, OfficeAsOf: "2025-06-30", OfficeConfidence: "medium"}},
		{"26791", Unit{Address: "Số 68, đường TTN14", OfficeSource: "TB 243/TB-UBND", OfficeSourceURL: tb243URL, OfficeAsOf: "2025-06-25", OfficeConfidence: "high"}},
		{"26743", Unit{}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got := units[tt.code]
			want := got.WithOffice(tt.want)
			if got != want {
				t.Errorf("office =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
	if units["00001"].HasOffice() {
		t.Errorf("a unit outside HCMC got an office: %+v", units["00001"])
	}
}

func TestSameAddress(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"707 Tỉnh lộ 43, phường Tam Bình", "707 Tỉnh lộ 43, phường Tam Bình", true},
		{"Số 28, Tôn Đức Thắng", "28 đường Tôn Đức Thắng", true},
		{"Đường sô 01 Quang Trung", "Số 01, đường Quang Trung", true},
		{"Số 28, đường Tôn Đức Thắng", "28 Tôn Đức Thắng", true},
		{"Ấp Hội Mỹ, xã Phước Hải", "ấp hội mỹ,  xã Phước Hải [UBND]", true},
		{"531 Vĩnh Khánh, phường Khánh Hội", "521 đường Vĩnh Khánh, phường Khánh Hội", false},
	}
	for _, tt := range tests {
		if got := sameAddress(tt.a, tt.b); got != tt.same {
			t.Errorf("sameAddress(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}
