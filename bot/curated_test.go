package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

var testCurated = []knowledge.CuratedAnswer{
	{ID: "le-phi-ho-chieu", Questions: []string{"Lệ phí làm hộ chiếu bao nhiêu?", "làm passport mất bao nhiêu tiền"},
		Answer: "Lệ phí cấp hộ chiếu phổ thông: 200.000 đồng (nộp trực tuyến 180.000 đồng).", ProcedureID: "ho-chieu",
		SourceURL: "https://dichvucong.gov.vn/ho-chieu"},
	{ID: "cccd-o-dau", Questions: []string{"Làm căn cước công dân ở đâu?"},
		Answer: "Bạn làm căn cước tại Công an phường, xã nơi cư trú hoặc bất kỳ nơi nào."},
	{ID: "sai-gon-gom", Questions: []string{"Phường Sài Gòn gồm những phường nào"}, UnitCode: "26740",
		Answer: "Phường Sài Gòn gồm Phường Bến Nghé, một phần Đa Kao và Nguyễn Thái Bình (cũ)."},
	{ID: "da-kao", Questions: []string{"Phường Đa Kao Quận 1 giờ là phường nào"},
		Answer: "(không bao giờ được dùng: câu hỏi về địa danh cũ đi đường tra cứu)"},
}

// Curated phrasings match as citizens type them, and only them.
func TestCuratedMatching(t *testing.T) {
	s := serviceWithKB(t, func(kb *knowledge.KB) { kb.Curated = testCurated })
	tests := []struct {
		name, text, want string
	}{
		{"exact", "Lệ phí làm hộ chiếu bao nhiêu?", "le-phi-ho-chieu"},
		{"without diacritics", "le phi lam ho chieu bao nhieu", "le-phi-ho-chieu"},
		{"second phrasing, shouting", "LÀM PASSPORT MẤT BAO NHIÊU TIỀN!!!", "le-phi-ho-chieu"},
		{"politeness around it", "cho em hỏi lệ phí làm hộ chiếu bao nhiêu ạ", "le-phi-ho-chieu"},
		{"abbreviation", "lam cccd o dau", "cccd-o-dau"},
		{"abbreviation, no question words", "cccd lam o dau z", "cccd-o-dau"},
		{"new unit named", "phuong sai gon gom nhung phuong nao", "sai-gon-gom"},
		{"near miss: another paper", "lệ phí làm căn cước bao nhiêu", ""},
		{"near miss: much more asked", "lệ phí làm hộ chiếu cho người nước ngoài đi du lịch", ""},
		{"near miss: one word of the phrasing", "hộ chiếu", ""},
		{"old ward keeps the place path", "Phường Đa Kao Quận 1 giờ là phường nào", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := converse(t, s, say(tt.text))
			if a.Curated != tt.want {
				t.Fatalf("curated = %q, want %q (kind %s):\n%s", a.Curated, tt.want, a.Kind, a.Text)
			}
			if tt.want != "" && a.Kind != KindAnswer {
				t.Errorf("kind = %s, want answer", a.Kind)
			}
		})
	}
}

// countingIndex is a search index that would answer anything, and counts.
type countingIndex struct{ calls int }

func (c *countingIndex) SearchProcedures(context.Context, string, int) ([]SearchHit, error) {
	c.calls++
	return []SearchHit{{ID: "ket-hon", Score: 1}}, nil
}
func (c *countingIndex) Healthy() bool { return true }

// A curated answer comes before the matcher and search, cites itself with
// the KB's as-of date, and carries its procedure.
func TestCuratedBeforeSearch(t *testing.T) {
	kb := mustSeed(t)
	kb.Curated = testCurated
	ix := &countingIndex{}
	s := NewService(NewEngine(Config{KB: kb, Index: ix}), newMemStore())

	a, st := converse(t, s, say("làm passport mất bao nhiêu tiền"))
	if a.Curated != "le-phi-ho-chieu" || a.Kind != KindAnswer {
		t.Fatalf("answer = %s %q:\n%s", a.Kind, a.Curated, a.Text)
	}
	if ix.calls != 0 {
		t.Errorf("search asked %d times before a curated answer", ix.calls)
	}
	if !strings.HasPrefix(a.Text, testCurated[0].Answer) || !strings.Contains(a.Text, "Nguồn: Câu trả lời đã duyệt") ||
		!strings.HasSuffix(a.Text, "Dữ liệu cập nhật đến 26/02/2026.") {
		t.Errorf("text:\n%s", a.Text)
	}
	if a.Procedure == nil || a.Procedure.ID != "ho-chieu" || st.ProcedureID != "ho-chieu" {
		t.Errorf("procedure = %+v, state %q", a.Procedure, st.ProcedureID)
	}
	c := a.Citations[0]
	if c.Title != "Câu trả lời đã duyệt" || c.URL != "https://dichvucong.gov.vn/ho-chieu" || c.AsOf != "2026-02-26" {
		t.Errorf("citation = %+v", c)
	}

	// Without the curated answer the same words go to the matcher.
	a, _ = converse(t, NewService(NewEngine(Config{KB: mustSeed(t), Index: ix}), newMemStore()), say("làm passport mất bao nhiêu tiền"))
	if a.Curated != "" || a.Procedure == nil || a.Procedure.ID != "ho-chieu" {
		t.Errorf("without curated: %s %q %+v", a.Kind, a.Curated, a.Procedure)
	}

	// A unit named by the curated answer is its unit.
	a, _ = converse(t, s, say("Phường Sài Gòn gồm những phường nào?"))
	if a.Unit == nil || a.Unit.Code != "26740" || a.Curated != "sai-gon-gom" {
		t.Errorf("unit answer = %+v %q", a.Unit, a.Curated)
	}
}

func mustSeed(t *testing.T) *knowledge.KB {
	t.Helper()
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

// meaningIndex finds nothing by keywords and scripted curated answers by
// meaning, counting the curated searches.
type meaningIndex struct {
	curated []SearchHit
	asked   []string
}

func (*meaningIndex) SearchProcedures(context.Context, string, int) ([]SearchHit, error) {
	return nil, nil
}
func (*meaningIndex) Healthy() bool { return true }
func (m *meaningIndex) SearchCurated(_ context.Context, q string, _ int) ([]SearchHit, error) {
	m.asked = append(m.asked, q)
	return m.curated, nil
}

// A curated answer is found by meaning only where the engine understood
// neither a matter nor a place, and only when it is close and alone.
func TestCuratedByMeaning(t *testing.T) {
	kb := mustSeed(t)
	kb.Curated = testCurated
	paraphrase := "ra nước ngoài thì giấy thông hành tốn mấy đồng"
	tests := []struct {
		name  string
		text  string
		hits  []SearchHit
		want  string
		asked bool
	}{
		{"close and alone", paraphrase, []SearchHit{{"le-phi-ho-chieu", 0.95}, {"cccd-o-dau", 0.8}}, "le-phi-ho-chieu", true},
		{"not close enough", paraphrase, []SearchHit{{"le-phi-ho-chieu", 0.9}}, "", true},
		{"a coin toss", paraphrase, []SearchHit{{"le-phi-ho-chieu", 0.95}, {"cccd-o-dau", 0.945}}, "", true},
		{"unknown id", paraphrase, []SearchHit{{"khong-co", 0.99}}, "", true},
		{"a matter found: not asked", "đăng ký kết hôn ở đâu", []SearchHit{{"le-phi-ho-chieu", 0.99}}, "", false},
		{"a place found: not asked", "Phường 5, Quận 3", []SearchHit{{"le-phi-ho-chieu", 0.99}}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := &meaningIndex{curated: tt.hits}
			s := NewService(NewEngine(Config{KB: kb, Index: ix}), newMemStore())
			a, _ := converse(t, s, say(tt.text))
			if a.Curated != tt.want {
				t.Errorf("curated = %q, want %q (kind %s)", a.Curated, tt.want, a.Kind)
			}
			if (len(ix.asked) > 0) != tt.asked {
				t.Errorf("curated search asked %v, want %v", ix.asked, tt.asked)
			}
		})
	}
}
