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

// Office details come from the KB only: what is there is said, what is not
// is said to be missing, nothing is made up.
func TestOfficeDetailsFromKB(t *testing.T) {
	s := serviceWithKB(t, func(kb *knowledge.KB) {
		setUnit(kb, "27154", func(u *knowledge.Unit) { // Phường Bàn Cờ
			u.Address, u.Phone, u.Hotline = "185 Cách Mạng Tháng Tám", "028 3930 0000", "0909 000 111"
			u.Hours, u.MapURL = "T2–T6 7:30–17:00, T7 sáng", "https://maps.example/bc"
		})
		setUnit(kb, "26740", func(u *knowledge.Unit) { u.Hours = "T2–T6 7:30–17:00" }) // Sài Gòn: hours only
	})
	tests := []struct {
		name    string
		turns   []turnOf
		has     []string
		hasNot  []string
		address string
	}{
		{name: "unit with every detail", turns: []turnOf{say("tôi muốn làm giấy khai sinh cho con"), say("phường 5 quận 3")},
			has:     []string{"Trụ sở UBND Phường Bàn Cờ: 185 Cách Mạng Tháng Tám — ĐT: 028 3930 0000 — Đường dây nóng: 0909 000 111.", "Giờ làm việc: T2–T6 7:30–17:00, T7 sáng.", "Bản đồ: https://maps.example/bc"},
			hasNot:  []string{textNotInKB},
			address: "185 Cách Mạng Tháng Tám"},
		{name: "place alone names the office too", turns: []turnOf{say("phường 5 quận 3")},
			has: []string{"Trụ sở UBND Phường Bàn Cờ: 185 Cách Mạng Tháng Tám"}},
		{name: "unit with no address says it is not in the KB", turns: []turnOf{say("đăng ký kết hôn"), say("phường bến nghé quận 1")},
			has: []string{"Trụ sở UBND Phường Sài Gòn: địa chỉ " + textNotInKB, "số điện thoại " + textNotInKB, "Giờ làm việc: T2–T6 7:30–17:00."}},
		{name: "unit with nothing keeps the plain notice", turns: []turnOf{say("đăng ký kết hôn"), say("phường 1 quận 4")},
			has: []string{textNoAddress}, hasNot: []string{"Giờ làm việc", "Bản đồ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := converse(t, s, tt.turns...)
			if a.Kind != KindAnswer {
				t.Fatalf("kind = %s, want answer:\n%s", a.Kind, a.Text)
			}
			for _, h := range tt.has {
				if !strings.Contains(a.Text, h) {
					t.Errorf("text lacks %q:\n%s", h, a.Text)
				}
			}
			for _, h := range tt.hasNot {
				if strings.Contains(a.Text, h) {
					t.Errorf("text has %q:\n%s", h, a.Text)
				}
			}
			if tt.address != "" && (a.Office == nil || a.Office.Address != tt.address || a.Office.Hotline == "" || a.Office.Hours == "" || a.Office.MapURL == "") {
				t.Errorf("office = %+v, want the KB's details", a.Office)
			}
		})
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
