package bot

import (
	"strings"
	"testing"
)

// An answer begins with what a citizen needs first — the new unit, who
// handles the matter and where to go, what the question asked, any
// warning — given apart as Lead for a page to fold the rest; the sources
// line ends the text once.
func TestAnswerLeadFirst(t *testing.T) {
	s := newTestService(t)
	tests := []struct {
		name          string
		turns         []turnOf
		lead, notLead []string // in the lead / only after it
	}{
		{"place and matter", []turnOf{say("phường 5 quận 3 đăng ký khai sinh")},
			[]string{"thuộc Phường Bàn Cờ", "Thủ tục: Đăng ký khai sinh", "Nơi giải quyết: UBND Phường Bàn Cờ", "Trung tâm Phục vụ hành chính công: 611/20 Điện Biên Phủ", "ĐT: 028.38396136"},
			[]string{"Giấy tờ:", "Lệ phí:", "Thời hạn:", "Trực tuyến:", "Giờ làm việc:", "Bản đồ:", "Nguồn:"}},
		{"the detail asked comes first", []turnOf{say("làm khai sinh ở phường 5 quận 3 lệ phí bao nhiêu")},
			[]string{"Nơi giải quyết: UBND Phường Bàn Cờ", "Lệ phí: Miễn lệ phí"},
			[]string{"Giấy tờ:", "Thời hạn:", "Bản đồ:"}},
		{"papers asked in a follow-up", []turnOf{say("phường 5 quận 3"), say("đăng ký khai sinh"), say("cần giấy tờ gì")},
			[]string{"Giấy tờ: Tờ khai", "Trung tâm Phục vụ hành chính công"},
			[]string{"Lệ phí:", "Bản đồ:"}},
		{"a warning is never folded", []turnOf{say("Phường 5, Quận 3"), say("xác định mức độ khuyết tật")},
			[]string{"Thủ tục: Xác định", textLowConf},
			[]string{"Giấy tờ:"}},
		{"an old ward", []turnOf{say("phường bến nghé quận 1")},
			[]string{"thuộc Phường Sài Gòn", "Trung tâm Phục vụ hành chính công: 45 - 47 Lê Duẩn"},
			[]string{"Giờ làm việc:", "Bản đồ:"}},
		{"a pin", []turnOf{pin(10.7769, 106.7009)},
			[]string{"Vị trí bạn gửi thuộc Phường Sài Gòn", "Trung tâm Phục vụ hành chính công"},
			[]string{"được hình thành từ", "Bản đồ:"}},
		{"a curated answer: its first sentences", []turnOf{say("sáp nhập rồi có phải đổi căn cước không")},
			[]string{"Không bắt buộc."},
			[]string{"Nếu muốn đổi sang địa danh mới", "Nguồn:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := converse(t, s, tt.turns...)
			if a.Lead == "" || !strings.HasPrefix(a.Text, a.Lead) {
				t.Fatalf("lead %q does not begin the text:\n%s", a.Lead, a.Text)
			}
			rest := strings.TrimPrefix(a.Text, a.Lead)
			for _, w := range tt.lead {
				if !strings.Contains(a.Lead, w) {
					t.Errorf("lead lacks %q:\n%s", w, a.Lead)
				}
			}
			for _, w := range tt.notLead {
				if strings.Contains(a.Lead, w) || !strings.Contains(rest, w) {
					t.Errorf("%q should follow the lead:\nlead: %s\nrest: %s", w, a.Lead, rest)
				}
			}
			if n := strings.Count(a.Text, "Nguồn:"); n != 1 || a.Footer == "" || !strings.HasSuffix(a.Text, a.Footer) {
				t.Errorf("sources line %d times (footer %q) in:\n%s", n, a.Footer, a.Text)
			}
			for _, c := range a.Citations {
				if c.LegalBasis != "" && strings.Count(a.Footer, c.LegalBasis) != 1 {
					t.Errorf("citation %q named %d times in the sources line %q", c.LegalBasis, strings.Count(a.Footer, c.LegalBasis), a.Footer)
				}
			}
		})
	}
}

// Short answers are shown whole: no lead.
func TestShortAnswersHaveNoLead(t *testing.T) {
	s := newTestService(t)
	for _, q := range []string{"xin chào", "phường 1", "tôi muốn gặp cán bộ", "phuong da kao quan 1", "thời tiết hôm nay thế nào"} {
		if a, _ := converse(t, s, say(q)); a.Lead != "" {
			t.Errorf("%q: lead %q on a short answer (%d characters)", q, a.Lead, len([]rune(a.Text)))
		}
	}
}
