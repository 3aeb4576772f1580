package nlu

import (
	"testing"
)

// Ways a waiting citizen asks for the bot back, typed as people type them,
// and messages that only look alike.
func TestReadBackToBot(t *testing.T) {
	tests := []struct {
		in   string
		want BackToBot
	}{
		// The quick reply and its spellings.
		{"Quay lại hỏi bot", BackToBotExplicit},
		{"quay lai hoi bot", BackToBotExplicit},
		{"QUAY LẠI BOT", BackToBotExplicit},
		{"cho mình hỏi bot nhé", BackToBotExplicit},
		{"thôi để mình tự tra cứu", BackToBotExplicit},
		{"thôi, không cần gặp cán bộ nữa", BackToBotExplicit},
		{"ko can gap can bo nua", BackToBotExplicit},
		{"k cần cán bộ đâu", BackToBotExplicit},
		{"khỏi chờ", BackToBotExplicit},
		{"không chờ nữa đâu", BackToBotExplicit},
		{"Hủy yêu cầu", BackToBotExplicit},
		{"huỷ yêu cầu gặp cán bộ giúp em", BackToBotExplicit},
		{"thôi hủy yêu cầu đi", BackToBotExplicit},
		{"muốn hủy chờ", BackToBotExplicit},
		{"cho tôi nói chuyện với bot", BackToBotExplicit},
		// Bare cancellations: clear only while the citizen waits.
		{"hủy", BackToBotShort},
		{"Huỷ!", BackToBotShort},
		{"huy", BackToBotShort},
		{"thôi ạ", BackToBotShort},
		{"Thôi khỏi", BackToBotShort},
		{"thôi cảm ơn", BackToBotShort},
		{"không cần nữa", BackToBotShort},
		{"ko cần nữa đâu", BackToBotShort},
		{"thoi ko can nua", BackToBotShort},
		{"dạ thôi không cần", BackToBotShort},
		// Procedures and questions that begin like a cancellation.
		{"hủy đăng ký thường trú", NotBackToBot},
		{"huy dang ky tam tru o dau", NotBackToBot},
		{"thủ tục hủy việc kết hôn trái pháp luật", NotBackToBot},
		{"hủy yêu cầu cấp bản sao trích lục", NotBackToBot},
		{"thôi quốc tịch Việt Nam", NotBackToBot},
		{"xin thôi việc thì làm giấy tờ gì", NotBackToBot},
		{"không cần giấy tờ gì à", NotBackToBot},
		{"thôi được rồi", NotBackToBot},
		{"ok", NotBackToBot},
		{"cảm ơn", NotBackToBot},
		{"còn bao lâu nữa", NotBackToBot},
		{"cho tôi gặp cán bộ", NotBackToBot},
		{"Phường 5, Quận 3", NotBackToBot},
		{"tôi không cần gặp cán bộ, tôi chỉ muốn biết làm khai sinh cho con ở phường nào vậy ạ", NotBackToBot},
		{"", NotBackToBot},
	}
	for _, tt := range tests {
		if got := ReadBackToBot(NewText(tt.in)); got != tt.want {
			t.Errorf("ReadBackToBot(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// No procedure's name, alias or example question, and no curated answer's
// phrasing, is a request for the bot back.
func TestReadBackToBotNeverAProcedure(t *testing.T) {
	places, _ := testIndexes(t)
	kb := places.KB()
	var texts []string
	for _, p := range kb.Procedures {
		texts = append(append(append(texts, p.Name), p.Aliases...), p.Examples...)
	}
	for _, ca := range kb.Curated {
		texts = append(texts, ca.Questions...)
	}
	if len(texts) < 200 {
		t.Fatalf("only %d KB phrasings read: the seed changed shape", len(texts))
	}
	for _, s := range texts {
		if got := ReadBackToBot(NewText(s)); got != NotBackToBot {
			t.Errorf("KB phrasing %q read as back-to-bot (%d)", s, got)
		}
	}
}
