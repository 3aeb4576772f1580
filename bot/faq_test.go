package bot

import (
	"strings"
	"testing"
)

// The questions the press asked after 1 July 2025 (faq.md's headlines),
// and citizens' own ways of asking them, get the seed's curated answer: the
// rule first, its legal basis in the sources line, its pages with dates.
func TestFAQAnswersPressQuestions(t *testing.T) {
	s := newTestService(t)
	tests := []struct {
		ask, id, lead, basis string
		procedure            string
	}{
		// The press's own headlines.
		{"Có bắt buộc đổi căn cước công dân sau khi sáp nhập hay không?", "doi-can-cuoc-sau-sap-nhap", "Không bắt buộc.", "Điều 24 Luật Căn cước 2023", "can-cuoc-cap-doi-cap-lai"},
		{"Sáp nhập tỉnh, thành: Người dân có cần đổi biển số xe, đăng ký xe không?", "doi-dang-ky-xe-sau-sap-nhap", "Không bắt buộc.", "Điều 18 TT 79/2024/TT-BCA", ""},
		{"Sau sáp nhập xã: Người dân có cần phải đổi lại giấy tờ?", "giay-to-sau-sap-nhap", "Không bắt buộc đổi.", "Điều 10 NQ 190/2025/QH15", "cap-nhat-dia-chi-sau-sap-nhap"},
		{"Doanh nghiệp có được xuất hóa đơn điện tử theo địa chỉ cũ trước sáp nhập không?", "hoa-don-dia-chi-cu", "Vẫn hợp lệ.", "CV 4370/BTC-DNTN", ""},
		{"Có bắt buộc phải đổi lại toàn bộ giấy tờ tùy thân do sáp nhập xã, tỉnh hay không?", "giay-to-sau-sap-nhap", "Không bắt buộc đổi.", "Điều 21 NQ 35/2023/UBTVQH15", ""},
		{"Có thu phí lệ phí khi thực hiện việc chuyển đổi giấy tờ sau sáp nhập không?", "giay-to-sau-sap-nhap", "Không bắt buộc đổi.", "CV 43-CV/BCĐ", ""},
		{"TP.HCM còn quận, huyện không?", "tphcm-con-quan-huyen", "Không.", "NQ 1685/NQ-UBTVQH15", ""},
		// Citizens' words, not among the phrasings.
		{"sáp nhập rồi có phải đổi căn cước công dân không ạ", "doi-can-cuoc-sau-sap-nhap", "Không bắt buộc.", "Điều 10 NQ 190/2025/QH15", ""},
		{"sap nhap co bat buoc doi cccd khong", "doi-can-cuoc-sau-sap-nhap", "Không bắt buộc.", "", ""},
		{"sáp nhập có phải đổi bằng lái xe máy không", "doi-bang-lai-sau-sap-nhap", "Không bắt buộc.", "", ""},
		{"sap nhap co phai doi so hong khong", "doi-so-do-sau-sap-nhap", "Không bắt buộc.", "Điều 133 Luật Đất đai 2024", ""},
		{"sáp nhập rồi có phải đổi hộ chiếu không ạ", "doi-ho-chieu-sau-sap-nhap", "Không bắt buộc.", "", ""},
		{"sáp nhập có phải đổi giấy phép kinh doanh hộ kinh doanh không", "doi-giay-phep-kinh-doanh-sau-sap-nhap", "Không bắt buộc.", "", "hkd-thay-doi"},
		{"tổng đài 1022 là gì vậy", "tong-dai-1022", "1022 là", "QĐ 1478/QĐ-UBND", "phan-anh-1022"},
		{"thứ 7 phường có làm việc không ạ", "lam-viec-thu-bay", "Chưa chắc chắn.", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.ask, func(t *testing.T) {
			a, _ := converse(t, s, say(tt.ask))
			if a.Curated != tt.id || a.Kind != KindAnswer {
				t.Fatalf("curated %q (%s), want %s:\n%s", a.Curated, a.Kind, tt.id, a.Text)
			}
			if !strings.HasPrefix(a.Text, tt.lead) {
				t.Errorf("the rule is not first:\n%s", a.Text)
			}
			if !strings.Contains(a.Footer, tt.basis) || !strings.HasPrefix(a.Footer, "Nguồn: ") || strings.Count(a.Text, "Nguồn:") != 1 {
				t.Errorf("sources line %q lacks %q (or is given twice):\n%s", a.Footer, tt.basis, a.Text)
			}
			for _, c := range a.Citations[1:] {
				if c.URL == "" || c.Title == "" || c.Date != "" && len(c.Date) < 7 {
					t.Errorf("citation %+v: want a title, a link and a date if any", c)
				}
			}
			if len(a.Citations) < 2 {
				t.Errorf("citations %+v: want the answer's pages", a.Citations)
			}
			if tt.procedure != "" {
				if a.Procedure == nil || a.Procedure.ID != tt.procedure || len(a.Replies) == 0 || !strings.HasPrefix(a.Replies[0].Label, "Thủ tục: ") {
					t.Errorf("procedure %+v, replies %+v: want a button to %s", a.Procedure, a.Replies, tt.procedure)
				}
			}
		})
	}
}

// Tapping the procedure button of an answer gives that procedure's answer,
// for those who want to update their papers anyway.
func TestFAQLinksItsProcedure(t *testing.T) {
	s := newTestService(t)
	a, _ := converse(t, s, say("sáp nhập có phải đổi căn cước không"))
	if len(a.Replies) == 0 || a.Procedure == nil {
		t.Fatalf("no procedure button: %+v", a.Replies)
	}
	b, _ := converse(t, s, say("sáp nhập có phải đổi căn cước không"), say(a.Replies[0].Payload))
	if b.Curated != "" || b.Procedure == nil || b.Procedure.ID != "can-cuoc-cap-doi-cap-lai" {
		t.Errorf("after the button: curated %q, procedure %+v:\n%s", b.Curated, b.Procedure, b.Text)
	}
}

// Procedure questions and place questions are not taken by the FAQ: its
// phrasings all speak of the reorganisation (TestDevSetLocal checks the
// dev set's too).
func TestFAQLeavesMattersAlone(t *testing.T) {
	s := newTestService(t)
	for _, ask := range []string{
		"đổi căn cước ở đâu", "đổi cccd hết hạn", "làm lại căn cước bị mất", "cấp đổi bằng lái xe hết hạn",
		"đăng ký xe máy mới mua", "sang tên sổ đỏ", "cho hỏi doi so do sang mau moi thì làm ở đâu", "làm hộ chiếu ở đâu",
		"đăng ký tạm trú cho sinh viên", "thay đổi ngành nghề hộ kinh doanh", "trung tâm hành chính công thành phố ở đâu",
		"giấy tờ cần những gì", "phường 5 quận 3 có phải đổi căn cước không", "thu hồi biển số khi bán xe",
	} {
		a, _ := converse(t, s, say(ask))
		if a.Curated != "" {
			t.Errorf("%q answered by curated %q:\n%s", ask, a.Curated, a.Text)
		}
	}
}

// A low-confidence answer says it rests partly on secondary sources.
func TestFAQLowConfidenceSaysSo(t *testing.T) {
	a, _ := converse(t, newTestService(t), say("sáp nhập có phải đổi sổ đỏ không"))
	if a.Curated != "doi-so-do-sau-sap-nhap" || !strings.Contains(a.Text, textCuratedLowConf) {
		t.Errorf("curated %q:\n%s", a.Curated, a.Text)
	}
}

// Every phrasing of the seed's FAQ is answered by its own answer (none is
// read as a place, none is another answer's).
func TestFAQPhrasingsReachTheirAnswer(t *testing.T) {
	s := newTestService(t)
	kb := s.engine.KB()
	if len(kb.Curated) < 15 {
		t.Fatalf("%d curated answers in the seed", len(kb.Curated))
	}
	for _, ca := range kb.Curated {
		for _, q := range ca.Questions {
			if a, _ := converse(t, s, say(q)); a.Curated != ca.ID {
				t.Errorf("%q → curated %q (%s), want %s", q, a.Curated, a.Kind, ca.ID)
			}
		}
	}
}
