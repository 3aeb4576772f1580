package bot

import (
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// serviceWithKB is a test service over the seed KB changed by edit (a copy:
// the seed's slices are not shared).
func serviceWithKB(t *testing.T, edit func(kb *knowledge.KB)) *Service {
	t.Helper()
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	edit(kb)
	return NewService(NewEngine(Config{KB: kb}), newMemStore())
}

func setUnit(kb *knowledge.KB, code string, edit func(u *knowledge.Unit)) {
	for i := range kb.Units {
		if kb.Units[i].Code == code {
			edit(&kb.Units[i])
		}
	}
}

// cityProcedure is a procedure of the seed filed at city level.
func cityProcedure(t *testing.T, kb *knowledge.KB) knowledge.Procedure {
	t.Helper()
	for _, p := range kb.Procedures {
		if p.MainLevel() == knowledge.LevelCity && p.ID == "ly-lich-tu-phap" {
			return p
		}
	}
	t.Fatal("no city-level procedure ly-lich-tu-phap in the seed")
	return knowledge.Procedure{}
}

// Office details come from the KB only — the seed's desks, or what editors
// entered — in the order a citizen needs them; what is missing is said to
// be missing, nothing is made up.
func TestOfficeDetailsFromKB(t *testing.T) {
	s := serviceWithKB(t, func(kb *knowledge.KB) {
		setUnit(kb, "26740", func(u *knowledge.Unit) { // Phường Sài Gòn: an editor's own details
			u.Address, u.Phone, u.Hotline = "45 - 47 Lê Duẩn (cổng bên)", "028 3930 0000", "0909 000 111"
			u.Hours, u.MapURL = "T2–T6 7:30–17:00, T7 sáng", "https://maps.example/sg"
		})
		setUnit(kb, "27286", func(u *knowledge.Unit) { *u = u.WithOffice(knowledge.Unit{}) }) // Vĩnh Hội: none
	})
	const bcMap = "https://www.google.com/maps/search/?api=1&query=611/20+Dien+Bien+Phu,+phuong+Ban+Co,+TP.HCM"
	tests := []struct {
		name   string
		turns  []turnOf
		has    []string // in this order
		hasNot []string
		office func(o *Office) bool
	}{
		{name: "seeded desk: essentials first, the rest after, sources once at the end",
			turns: []turnOf{say("tôi muốn làm giấy khai sinh cho con"), say("phường 5 quận 3")},
			has: []string{"Nơi giải quyết: UBND Phường Bàn Cờ", "Trung tâm Phục vụ hành chính công: 611/20 Điện Biên Phủ (số cũ 611C), phường Bàn Cờ — ĐT: 028.38396136.",
				"Giấy tờ:", "Lệ phí:", "Giờ làm việc: " + textStandardHours + ".", "Bản đồ: " + bcMap,
				"Nguồn: ", "địa chỉ: TB 243/TB-UBND, Truso.json, cập nhật 28/03/2026. Dữ liệu cập nhật đến"},
			hasNot: []string{textNotInKB, "Trụ sở UBND"},
			office: func(o *Office) bool {
				return o.Address == "611/20 Điện Biên Phủ (số cũ 611C), phường Bàn Cờ" && o.Phone == "028.38396136" && o.MapURL == bcMap &&
					o.StandardHours && o.Hours == textStandardHours && o.Source == "TB 243/TB-UBND; Truso.json" && o.SourceDate == "2026-03-28" && !o.ToCheck
			}},
		{name: "a unit's own answer adds the UBND seat when it is elsewhere",
			turns: []turnOf{say("phường 5 quận 3")},
			has: []string{"thuộc Phường Bàn Cờ.", "Trung tâm Phục vụ hành chính công: 611/20 Điện Biên Phủ", "Trụ sở UBND: 296 Nguyễn Thiện Thuật, phường Bàn Cờ.",
				"Giờ làm việc:", "Bản đồ: " + bcMap},
			hasNot: []string{textNotInKB, "được hình thành từ"}},
		{name: "the UBND seat in the desk's building is not repeated", turns: []turnOf{say("phường phú lợi thủ dầu một")},
			has: []string{"Trung tâm Phục vụ hành chính công: Số 438, đường Phú Lợi, phường Phú Lợi — ĐT: 02743.904.872."}, hasNot: []string{"Trụ sở UBND"}},
		{name: "an editor's details win, with their hours and map", turns: []turnOf{say("đăng ký kết hôn"), say("phường bến nghé quận 1")},
			has:    []string{"Trung tâm Phục vụ hành chính công: 45 - 47 Lê Duẩn (cổng bên) — ĐT: 028 3930 0000 — Đường dây nóng: 0909 000 111.", "Giờ làm việc: T2–T6 7:30–17:00, T7 sáng.", "Bản đồ: https://maps.example/sg"},
			hasNot: []string{textStandardHours, "google.com"},
			office: func(o *Office) bool {
				return o.Hotline == "0909 000 111" && !o.StandardHours && o.MapURL == "https://maps.example/sg"
			}},
		{name: "a unit with nothing keeps the plain notice", turns: []turnOf{say("đăng ký kết hôn"), say("phường 1 quận 4")},
			has: []string{textNoAddress}, hasNot: []string{"Giờ làm việc", "Bản đồ", "địa chỉ: TB 243"}},
		{name: "a police matter names the police first where known", turns: []turnOf{say("đăng ký thường trú"), say("phường 2 quận 8")},
			has: []string{"Nơi giải quyết: Công an Phường Chánh Hưng", "Công an Phường Chánh Hưng: 993 Phạm Thế Hiển, phường Chánh Hưng (điểm thu nhận căn cước của Công an phường).",
				"Trung tâm Phục vụ hành chính công: 39 Dương Bạch Mai", "Lưu ý: Điểm tiếp nhận khác: 210-212 Âu Dương Lân"}},
		{name: "sources that disagree: the higher-confidence desk, and a warning", turns: []turnOf{say("phường phú an thủ dầu một")},
			has: []string{"Trung tâm Phục vụ hành chính công: Số 143, đường Nguyễn Đức Cảnh, phường Phú An.", textOfficeCheck}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := converse(t, s, tt.turns...)
			if a.Kind != KindAnswer {
				t.Fatalf("kind = %s, want answer:\n%s", a.Kind, a.Text)
			}
			at := 0
			for _, h := range tt.has {
				i := strings.Index(a.Text[at:], h)
				if i < 0 {
					t.Errorf("text lacks %q after byte %d:\n%s", h, at, a.Text)
					continue
				}
				at += i
			}
			for _, h := range tt.hasNot {
				if strings.Contains(a.Text, h) {
					t.Errorf("text has %q:\n%s", h, a.Text)
				}
			}
			if strings.Count(a.Text, "Nguồn:") > 1 {
				t.Errorf("sources given twice:\n%s", a.Text)
			}
			if tt.office != nil && (a.Office == nil || !tt.office(a.Office)) {
				t.Errorf("office = %+v", a.Office)
			}
		})
	}
}

// Every one of the 168 units' own answer names its desk's address from
// the seed, never "not in the database".
func TestEveryUnitNamesItsDesk(t *testing.T) {
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range kb.Units {
		u := &kb.Units[i]
		if !u.InHCMC() {
			continue
		}
		n++
		text := officeText(u)
		if !strings.Contains(text, labelDesk+": "+trimDot(u.Address)) || strings.Contains(text, textNotInKB) || !strings.Contains(text, "Bản đồ: "+mapSearchBase) {
			t.Errorf("%s %s:\n%s", u.Code, u.Name, text)
		}
		if c, ok := officeCitation(u); !ok || c.Date == "" || c.URL == "" {
			t.Errorf("%s %s: office citation %+v", u.Code, u.Name, c)
		}
	}
	if n != 168 {
		t.Errorf("%d HCMC units, want 168", n)
	}
}

func TestMapSearchURL(t *testing.T) {
	tests := []struct{ address, unit, want string }{
		{"611/20 Điện Biên Phủ (số cũ 611C), phường Bàn Cờ", "Phường Bàn Cờ",
			mapSearchBase + "611/20+Dien+Bien+Phu,+phuong+Ban+Co,+TP.HCM"},
		{"Số 5, đường Lê Lợi", "Xã Dầu Tiếng", mapSearchBase + "So+5,+duong+Le+Loi,+Xa+Dau+Tieng,+TP.HCM"},
		{"A&B #1 Đường Số 4", "Đặc khu Côn Đảo", mapSearchBase + "A%26B+%231+Duong+So+4,+Dac+khu+Con+Dao,+TP.HCM"},
	}
	for _, tt := range tests {
		if got := mapSearchURL(tt.address, tt.unit); got != tt.want {
			t.Errorf("mapSearchURL(%q, %q) =\n%s\nwant\n%s", tt.address, tt.unit, got, tt.want)
		}
	}
}

func TestSameBuilding(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"Số 438, đường Phú Lợi, phường Phú Lợi", "Số 438 đường Phú Lợi, khu phố 8, phường Phú Lợi", true},
		{"92 Nguyễn Trãi, phường Bến Thành", "Số 92 Nguyễn Trãi, phường Bến Thành", true},
		{"611/20 Điện Biên Phủ (số cũ 611C), phường Bàn Cờ", "296 Nguyễn Thiện Thuật, phường Bàn Cờ", false},
		{"Đường Nguyễn Khuyến, phường Tân Hiệp", "Đường Nguyễn Khuyến, Tổ 1, phường Tân Hiệp", false}, // no house number: cannot tell
		{"531 Vĩnh Khánh", "", false},
	}
	for _, tt := range tests {
		if got := sameBuilding(tt.a, tt.b); got != tt.same {
			t.Errorf("sameBuilding(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

// A city-level procedure lists the KB's service points that handle it,
// and only those.
func TestServicePointsForCityProcedures(t *testing.T) {
	var proc knowledge.Procedure
	s := serviceWithKB(t, func(kb *knowledge.KB) {
		proc = cityProcedure(t, kb)
		kb.ServicePoints = []knowledge.ServicePoint{
			{ID: "sotp", Name: "Sở Tư pháp TP.HCM", Address: "141-143 Pasteur, Phường Xuân Hòa", Phone: "028 3829 0230", Hours: "T2–T6", Matters: []string{proc.ID}},
			{ID: "nophone", Name: "Trung tâm Phục vụ hành chính công", Matters: []string{"x", proc.ID}},
			{ID: "other", Name: "Văn phòng đăng ký đất đai", Address: "12 Phạm Phú Thứ", Matters: []string{"dang-ky-dat-dai-lan-dau"}},
		}
	})
	a, _ := converse(t, s, say(proc.Name))
	if a.Kind != KindAnswer || a.Procedure == nil || a.Procedure.ID != proc.ID {
		t.Fatalf("answer = %s %+v:\n%s", a.Kind, a.Procedure, a.Text)
	}
	for _, h := range []string{"Nơi tiếp nhận hồ sơ:", "• Sở Tư pháp TP.HCM — 141-143 Pasteur, Phường Xuân Hòa — ĐT: 028 3829 0230 — Giờ làm việc: T2–T6.",
		"• Trung tâm Phục vụ hành chính công — địa chỉ " + textNotInKB + "."} {
		if !strings.Contains(a.Text, h) {
			t.Errorf("text lacks %q:\n%s", h, a.Text)
		}
	}
	if strings.Contains(a.Text, "Phạm Phú Thứ") {
		t.Errorf("lists a service point of another matter:\n%s", a.Text)
	}
	if a.Office == nil || len(a.Office.ServicePoints) != 2 || a.Office.ServicePoints[0].ID != "sotp" {
		t.Errorf("office = %+v", a.Office)
	}
}
