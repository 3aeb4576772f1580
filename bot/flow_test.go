package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// turnOf is one message of a conversation: text, or a pin when loc is set.
type turnOf struct {
	text string
	loc  *Location
}

func say(s string) turnOf         { return turnOf{text: s} }
func pin(lat, lon float64) turnOf { return turnOf{loc: &Location{Lat: lat, Lon: lon}} }
func codes(us []UnitRef) string {
	var c []string
	for _, u := range us {
		c = append(c, u.Code)
	}
	return strings.Join(c, ",")
}

func converse(t *testing.T, s *Service, turns ...turnOf) (Answer, State) {
	t.Helper()
	ctx := context.Background()
	id, err := s.Start(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	var a Answer
	for _, tu := range turns {
		if a, err = s.Handle(ctx, Message{ConversationID: id, Text: tu.text, Location: tu.loc}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.store.State(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a, st
}

// Conversations across turns: the state carries place and matter, asks one
// thing at a time, and never picks a side of a split ward by itself.
func TestConversationFlows(t *testing.T) {
	s := newTestService(t)
	tests := []struct {
		name       string
		turns      []turnOf
		kind       Kind
		unit       string
		candidates string
		asks       string
		procedure  string
		textHas    []string
		textLacks  []string
	}{
		{name: "split ward asks street, lists all", turns: []turnOf{say("Phường Đa Kao, Quận 1")},
			kind: KindClarify, candidates: "26740,26737", asks: AskStreet, textHas: []string{"Phường Sài Gòn", "Phường Tân Định", "Gửi vị trí"}},
		{name: "pasted address of a split ward echoes the street", turns: []turnOf{say("12 Nguyễn Huy Tự, P. Đa Kao, Q.1, TP.HCM")},
			kind: KindClarify, candidates: "26740,26737", asks: AskStreet, textHas: []string{"Địa chỉ bạn đưa: 12 Nguyễn Huy Tự"}},
		{name: "street given: kept, still no guess", turns: []turnOf{say("Phường Đa Kao, Quận 1"), say("12 Nguyễn Huy Tự")},
			kind: KindClarify, candidates: "26740,26737", asks: AskStreet, textHas: []string{"12 Nguyễn Huy Tự"}},
		{name: "pin settles a split", turns: []turnOf{say("P.15 Quận 4"), pin(10.755201, 106.710436)},
			kind: KindAnswer, unit: "27259"},
		{name: "citizen picks a candidate", turns: []turnOf{say("Phường Đa Kao, Quận 1"), say("Tôi ở Phường Tân Định (mới)")},
			kind: KindAnswer, unit: "26737"},
		{name: "ambiguous name then district", turns: []turnOf{say("phường 1"), say("Quận 4")},
			kind: KindAnswer, unit: "27286"},
		{name: "matter then place", turns: []turnOf{say("tôi muốn làm giấy khai sinh cho con"), say("phường 5 quận 3")},
			kind: KindAnswer, unit: "27154", procedure: "khai-sinh", textHas: []string{"UBND Phường Bàn Cờ", "611/20 Điện Biên Phủ", "cập nhật đến"}},
		{name: "matter with an ambiguous bare name keeps the matter", turns: []turnOf{say("tôi muốn làm giấy khai sinh ở tân định")},
			kind: KindClarify, asks: AskDistrict, procedure: "khai-sinh"},
		{name: "place then matter", turns: []turnOf{say("phường 5 quận 3"), say("đăng ký kết hôn")},
			kind: KindAnswer, unit: "27154", procedure: "ket-hon"},
		{name: "commune matter without place asks place", turns: []turnOf{say("đăng ký kết hôn")},
			kind: KindClarify, asks: AskPlace, procedure: "ket-hon"},
		{name: "handoff keeps the unit", turns: []turnOf{say("phường 5 quận 3"), say("cho tôi gặp cán bộ")},
			kind: KindHandoff, unit: "27154", textHas: []string{"Phường Bàn Cờ"}},
		{name: "a new matter is no follow-up of the last one", turns: []turnOf{say("sáp nhập rồi có phải đổi căn cước không"), say("hai đứa muốn cưới thì làm giấy ở đâu")},
			kind: KindFallback, textHas: []string{"Có phải bạn hỏi về thủ tục", "Đăng ký kết hôn"}},
		{name: "a place and an unsure matter: the unit answered, the matter offered", turns: []turnOf{say("phường 7 quận Phú Nhuận, tranh chấp đất")},
			kind: KindAnswer, unit: "27058", textHas: []string{"Phường Cầu Kiệu", "Có phải bạn hỏi về thủ tục", "tranh chấp đất"}},
		{name: "unsure: offers the procedure, answers none", turns: []turnOf{say("tranh chấp đất")},
			kind: KindFallback, textHas: []string{"Có phải bạn hỏi về thủ tục"}},
		{name: "emoji only", turns: []turnOf{say("😀😀")}, kind: KindFallback, textHas: []string{"chưa hiểu"}},
		{name: "html is not echoed", turns: []turnOf{say("<script>alert(1)</script>")}, kind: KindFallback},
		{name: "pin outside HCMC", turns: []turnOf{pin(21.0285, 105.8542)}, kind: KindFallback, textHas: []string{"ngoài địa bàn"}},
		{name: "impossible pin", turns: []turnOf{pin(200, 500)}, kind: KindFallback},
		{name: "former name chain", turns: []turnOf{say("290A/47 Dương Bá Trạc, P1, Q8")},
			kind: KindAnswer, unit: "27418", textHas: []string{"Phường Rạch Ông", "01/01/2025", "1278/NQ-UBTVQH15", "Phường Chánh Hưng"}},
		{name: "low-confidence procedure says so", turns: []turnOf{say("kích hoạt vneid")}, asks: AskPlace, textHas: []string{"chưa được xác nhận"}},
		{name: "follow-up on the matter: what to bring", turns: []turnOf{say("e muon lam cccd o p.15 q.bt"), say("ko bik phai mang j")},
			kind: KindAnswer, procedure: "can-cuoc-tu-14", textHas: []string{"Giấy tờ:", "Lệ phí:"}},
		{name: "follow-up on the matter: the fee, place asked later", turns: []turnOf{say("đăng ký kết hôn"), say("lệ phí bao nhiêu vậy")},
			kind: KindClarify, asks: AskPlace, procedure: "ket-hon"},
		{name: "no matter yet: a detail question is not answered", turns: []turnOf{say("lệ phí bao nhiêu vậy")}, kind: KindFallback},
		{name: "a former district lists its own wards' units", turns: []turnOf{say("quan 2 cu gio la phuong gi vay ad")},
			kind: KindClarify, asks: AskPlace, textHas: []string{"Quận 2 (cũ) nay thuộc 3 đơn vị mới", "Phường An Khánh", "Phường Bình Trưng", "Phường Cát Lái"},
			textLacks: []string{"Phường Linh Xuân", "Phường Long Bình"}},
		{name: "location button sent as text", turns: []turnOf{say("P.15 Quận 4"), say(PayloadLocation)},
			kind: KindClarify, asks: AskStreet, candidates: "27259,27265"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := converse(t, s, tt.turns...)
			if tt.kind != "" && a.Kind != tt.kind {
				t.Errorf("kind %s, want %s\n%s", a.Kind, tt.kind, a.Text)
			}
			got := ""
			if a.Unit != nil {
				got = a.Unit.Code
			}
			if got != tt.unit && (tt.unit != "" || tt.kind != KindAnswer) {
				t.Errorf("unit %q, want %q", got, tt.unit)
			}
			if tt.candidates != "" && codes(a.Candidates) != tt.candidates {
				t.Errorf("candidates %s, want %s", codes(a.Candidates), tt.candidates)
			}
			if a.Asks != tt.asks {
				t.Errorf("asks %q, want %q", a.Asks, tt.asks)
			}
			if tt.procedure != "" && (a.Procedure == nil || a.Procedure.ID != tt.procedure) {
				t.Errorf("procedure %+v, want %s", a.Procedure, tt.procedure)
			}
			for _, want := range tt.textHas {
				if !strings.Contains(a.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, a.Text)
				}
			}
			for _, not := range tt.textLacks {
				if strings.Contains(a.Text, not) {
					t.Errorf("text has %q:\n%s", not, a.Text)
				}
			}
			if strings.Contains(a.Text, "<script") {
				t.Errorf("text echoes markup: %s", a.Text)
			}
			if a.KBVersion != 0 || a.AsOf != "2026-02-26" {
				t.Errorf("kb_version %d as_of %q", a.KBVersion, a.AsOf)
			}
			if a.Kind == KindAnswer && a.Unit != nil && len(a.Citations) == 0 {
				t.Errorf("an answer naming a unit has no citation")
			}
		})
	}
}

// The first miss offers a person; two misses in a row hand off.
func TestSecondMissHandsOff(t *testing.T) {
	s := newTestService(t)
	a, st := converse(t, s, say("giá vàng hôm nay"))
	if a.Kind != KindFallback || st.Misses != 1 {
		t.Fatalf("first miss: kind %s misses %d", a.Kind, st.Misses)
	}
	a, st = converse(t, s, say("giá vàng hôm nay"), say("thời tiết mai thế nào"))
	if a.Kind != KindHandoff || st.Misses != 0 {
		t.Fatalf("second miss: kind %s misses %d, want a handoff", a.Kind, st.Misses)
	}
	if handoffReason(a) != ReasonMisses || !strings.HasPrefix(a.Text, textMissesPrefix) {
		t.Errorf("second miss hands off without saying why: %q", a.Text)
	}
}

// brokenIndex is a search index that is down.
type brokenIndex struct{}

func (brokenIndex) SearchProcedures(context.Context, string, int) ([]SearchHit, error) {
	return nil, errors.New("connection refused")
}
func (brokenIndex) Healthy() bool { return false }

// With the search index down, places still resolve from memory and the
// answer says it is degraded.
func TestDegradedWithoutSearch(t *testing.T) {
	base := newTestService(t)
	e := NewEngine(Config{KB: base.engine.KB(), Index: brokenIndex{}})
	s := NewService(e, newMemStore())
	a, _ := converse(t, s, say("phường 5 quận 3"))
	if a.Kind != KindAnswer || a.Unit == nil || a.Unit.Code != "27154" {
		t.Fatalf("old→new from memory: %+v", a)
	}
	if !a.Degraded || !strings.Contains(a.Text, textDegraded) {
		t.Errorf("answer should say it is degraded: %v\n%s", a.Degraded, a.Text)
	}
	a, _ = converse(t, s, say("dang ky khai sinh"))
	if a.Procedure == nil || a.Procedure.ID != "khai-sinh" {
		t.Errorf("matter from memory: %+v", a.Procedure)
	}
}

// TestNoMatterFromOneSharedWord: a question sharing only one word with a
// procedure ("trực tuyến") is about no procedure, whatever else it says.
func TestNoMatterFromOneSharedWord(t *testing.T) {
	s := newTestService(t)
	for _, q := range []string{
		"cho minh hoi co cach nao biet ho so minh nop online da duoc duyet chua",
		"ho so nop truc tuyen bao lau thi co ket qua",
	} {
		if a, _ := converse(t, s, say(q)); a.Procedure != nil {
			t.Errorf("%q: procedure %s (%s):\n%s", q, a.Procedure.ID, a.Kind, a.Text)
		}
	}
}

// TestPaperQuestionVersusReformQuestion: getting a paper is its
// procedure's question; whether the reform obliges changing it is the
// curated answer's.
func TestPaperQuestionVersusReformQuestion(t *testing.T) {
	s := newTestService(t)
	a, _ := converse(t, s, say("cho toi hoi muon lam ho chieu cho con 5 tuoi can gi"))
	if a.Procedure == nil || a.Procedure.ID != "ho-chieu" || strings.HasPrefix(a.Text, "Không bắt buộc") {
		t.Errorf("getting a passport: %+v\n%s", a.Procedure, a.Text)
	}
	a, _ = converse(t, s, say("gia đình tôi có phải đổi hộ chiếu sau sáp nhập"))
	if !strings.HasPrefix(a.Text, "Không bắt buộc") {
		t.Errorf("changing it after the reform:\n%s", a.Text)
	}
}
