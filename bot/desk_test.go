package bot

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

func TestDeskQuestion(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"trung tâm hành chính công gần nhất ở đâu", true},
		{"trung tam hanh chinh cong gan nhat", true},
		{"hcc gần nhà em ở đâu", true},
		{"ubnd phuong o dau", true},
		{"ủy ban nhân dân phường ở chỗ nào vậy", true},
		{"bộ phận một cửa ở đâu", true},
		{"nơi nộp hồ sơ gần nhất", true},
		{"trụ sở phường địa chỉ ở đâu", true},
		{"trung tâm hành chính công thành phố ở đâu", false}, // the city's centre: a procedure
		{"trung tâm hành chính công tphcm ở đâu", false},
		{"trung tâm hành chính công gần nhất ở tphcm", true},
		{"đăng ký khai sinh ở đâu", false},
		{"trung tâm hành chính công làm thứ bảy không", false},
		{"phường 5 quận 3", false},
	}
	for _, tt := range tests {
		if got := deskQuestion(nlu.NewText(tt.text)); got != tt.want {
			t.Errorf("deskQuestion(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

var deskLineRE = regexp.MustCompile(`(?m)^(\d)\. (Phường|Xã|Đặc khu) [^:]+: .+ — khoảng (?:dưới )?(\d+),(\d) km\.\nBản đồ: https://www\.google\.com/maps/search/\?api=1&query=\S+$`)

// "Where is the nearest service desk?": without a place the bot asks for a
// pin (or the ward); the pin gets the nearest desks — the pin's own unit
// first when it is nearest — with addresses, phones, distances and map
// links, saying the distances are to the units' centres.
func TestNearestDesksForAPin(t *testing.T) {
	s := newTestService(t)
	ix, err := geo.New(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	lat, lon, _ := ix.Centroid("27154") // Phường Bàn Cờ

	a, st := converse(t, s, say("trung tâm hành chính công gần nhất ở đâu"))
	if a.Kind != KindClarify || a.Asks != AskPlace || len(a.Replies) == 0 || a.Replies[0].Payload != PayloadLocation || !st.Desk {
		t.Fatalf("without a place: %s asks %q replies %+v desk %v:\n%s", a.Kind, a.Asks, a.Replies, st.Desk, a.Text)
	}

	a, st = converse(t, s, say("trung tâm hành chính công gần nhất ở đâu"), pin(lat, lon))
	if a.Kind != KindAnswer || a.Unit == nil || a.Unit.Code != "27154" || st.Desk {
		t.Fatalf("after the pin: %s unit %+v desk %v:\n%s", a.Kind, a.Unit, st.Desk, a.Text)
	}
	lines := deskLineRE.FindAllStringSubmatch(a.Text, -1)
	if len(lines) != maxDesks {
		t.Fatalf("%d desks listed, want %d:\n%s", len(lines), maxDesks, a.Text)
	}
	prev := -1
	for i, l := range lines {
		km, _ := strconv.Atoi(l[3] + l[4])
		if l[1] != strconv.Itoa(i+1) || km < prev {
			t.Errorf("desk %d out of order (%s km after %d):\n%s", i+1, l[3]+","+l[4], prev, a.Text)
		}
		prev = km
	}
	for _, want := range []string{
		"Vị trí bạn gửi thuộc Phường Bàn Cờ.",
		"1. Phường Bàn Cờ (nơi bạn đang đứng): 611/20 Điện Biên Phủ (số cũ 611C), phường Bàn Cờ — ĐT: 028.38396136 — khoảng dưới 0,1 km.",
		textDeskDistance, "Giờ làm việc: " + textStandardHours,
	} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, a.Text)
		}
	}
	if strings.Count(a.Text, "Nguồn:") != 1 || strings.Count(a.Footer, "địa chỉ:") != 1 {
		t.Errorf("sources line %q (once, one line for the addresses)", a.Footer)
	}
	if a.Office == nil || a.Office.Address == "" || a.Office.MapURL == "" {
		t.Errorf("office = %+v, want the nearest desk", a.Office)
	}

	// A pin with no desk question is the unit's own answer.
	a, _ = converse(t, s, pin(lat, lon))
	if a.Unit == nil || a.Unit.Code != "27154" || deskLineRE.MatchString(a.Text) || !strings.Contains(a.Text, labelDesk+": 611/20 Điện Biên Phủ") {
		t.Errorf("a pin alone:\n%s", a.Text)
	}
}

// With the conversation's unit known, the desk question names that unit's
// desk and offers a pin for the nearest; a place in the question gets that
// place's desk, not a procedure.
func TestDeskOfTheConversationsUnit(t *testing.T) {
	s := newTestService(t)
	a, st := converse(t, s, say("phường 5 quận 3"), say("ubnd phuong o dau"))
	if a.Kind != KindAnswer || a.Unit == nil || a.Unit.Code != "27154" || !st.Desk ||
		!strings.Contains(a.Text, labelDesk+": 611/20 Điện Biên Phủ") || a.Replies[0].Payload != PayloadLocation {
		t.Errorf("known unit: %s %+v desk %v:\n%s", a.Kind, a.Unit, st.Desk, a.Text)
	}
	a, _ = converse(t, s, say("trung tâm hành chính công phường bến thành quận 1 ở đâu"))
	if a.Kind != KindAnswer || a.Unit == nil || a.Unit.Code != "26743" || a.Procedure != nil || !strings.Contains(a.Text, "92 Nguyễn Trãi") {
		t.Errorf("named place: %s unit %+v procedure %+v:\n%s", a.Kind, a.Unit, a.Procedure, a.Text)
	}
}

// A matter asked with the desk's words is the matter's question.
func TestDeskKeepsMatters(t *testing.T) {
	s := newTestService(t)
	for text, proc := range map[string]string{"đăng ký kết hôn ở ubnd phường ở đâu": "ket-hon",
		"đăng ký khai sinh nộp ở bộ phận một cửa ở đâu": "khai-sinh"} {
		a, st := converse(t, s, say(text))
		if a.Procedure == nil || a.Procedure.ID != proc || a.Asks != AskPlace || st.Desk {
			t.Errorf("%q: %s asks %q procedure %+v desk %v:\n%s", text, a.Kind, a.Asks, a.Procedure, st.Desk, a.Text)
		}
	}
	for text, want := range map[string]bool{"trung tâm hành chính công gần nhất ở đâu": true, "ubnd phuong o dau": true,
		"bộ phận một cửa phường nào gần nhất": true, "đăng ký kết hôn ở trung tâm hành chính công ở đâu": false} {
		if got := deskOnly(nlu.NewText(text), nil); got != want {
			t.Errorf("deskOnly(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestKilometres(t *testing.T) {
	for m, want := range map[float64]string{50: "dưới 0,1 km", 449: "0,4 km", 1250: "1,2 km", 12049: "12,0 km"} {
		if got := kilometres(m); got != want {
			t.Errorf("kilometres(%v) = %q, want %q", m, got, want)
		}
	}
}

// "Which ward is it now, and where is its UBND?" asks for the place and
// its office: no procedure is named (the office's words matched the
// examples of "Tiếp công dân").
func TestOfficeAddressNamesNoProcedure(t *testing.T) {
	s := newTestService(t)
	for _, text := range []string{
		"cho e hoi p.tan dinh q1 cu gio thuoc phuong nao va dia chi ubnd o dau",
		"địa chỉ ủy ban phường 5 quận 3 cũ ở đâu ạ",
		"tru so cong an phuong 14 quan 3 o dau",
	} {
		a, _ := converse(t, s, say(text))
		if a.Kind != KindAnswer || a.Unit == nil || a.Procedure != nil {
			t.Errorf("%q: %s unit %+v procedure %+v:\n%s", text, a.Kind, a.Unit, a.Procedure, a.Text)
		}
	}
}

// An office asked for by a ward name found in several old districts gets
// the district question, naming the ward as asked (not a namesake in
// another province), and the answer once the district is given.
func TestOfficeOfAnAmbiguousWardAsksTheDistrict(t *testing.T) {
	s := newTestService(t)
	a, _ := converse(t, s, say("dia chi ubnd phuong tan dinh"))
	if a.Kind != KindClarify || a.Asks != AskDistrict || !strings.Contains(a.Text, "“Phường Tân Định”") {
		t.Fatalf("first turn: %s asks %q:\n%s", a.Kind, a.Asks, a.Text)
	}
	a, _ = converse(t, s, say("dia chi ubnd phuong tan dinh"), say("quan 1"))
	if a.Kind != KindAnswer || a.Unit == nil || a.Unit.Code != "26737" || a.Office == nil {
		t.Errorf("after “quận 1”: %s unit %+v office %v:\n%s", a.Kind, a.Unit, a.Office != nil, a.Text)
	}
}

// A street named like a person in the citizen's address does not name a
// procedure (Nguyễn Văn Cừ matched an example about 43 Nguyễn Văn Bá).
func TestStreetNamesNoProcedure(t *testing.T) {
	s := newTestService(t)
	a, st := converse(t, s, say("nha e o duong nguyen van cu p.2 q5 cu, gio la phuong cho quan hay sao a"))
	if a.Procedure != nil || a.Unit == nil || a.Unit.Code != "27301" {
		t.Errorf("%s unit %+v procedure %+v:\n%s", a.Kind, a.Unit, a.Procedure, a.Text)
	}
	if st.Street != "duong nguyen van cu" {
		t.Errorf("street kept %q", st.Street)
	}
}

// A detail asked without a place (the fee, the papers) is answered at once
// when it does not depend on the place; the place is asked for where to go.
func TestAskedDetailAnsweredBeforeThePlace(t *testing.T) {
	s := newTestService(t)
	for _, tt := range []struct{ text, want string }{
		{"cho e hoi le phi cap ban sao trich luc khai sinh bao nhieu tien vay", "Lệ phí:"},
		{"lam khai sinh can giay to gi", "Giấy tờ:"},
	} {
		a, _ := converse(t, s, say(tt.text))
		if a.Kind != KindClarify || a.Asks != AskPlace || a.Procedure == nil || !strings.Contains(a.Text, tt.want) {
			t.Errorf("%q: %s asks %q procedure %v, want %q in:\n%s", tt.text, a.Kind, a.Asks, a.Procedure != nil, tt.want, a.Text)
		}
	}
}
