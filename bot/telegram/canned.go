package telegram

import (
	"strings"

	"github.com/hoiphuong/hoiphuong/bot"
)

// Citizen-facing texts of the adapter.
const (
	textHelp = "Xin chào! Mình là Hỏi Phường — trợ lý cho biết phường, xã mới nào (sau sắp xếp từ 01/07/2025) " +
		"giải quyết việc của bạn ở TP. Hồ Chí Minh.\n\n" +
		"Bạn có thể:\n" +
		"• gõ tên phường, xã cũ kèm quận, huyện, ví dụ “Phường Đa Kao, Quận 1”;\n" +
		"• hỏi về một thủ tục, ví dụ “Đăng ký khai sinh ở đâu?”;\n" +
		"• bấm “📍 Gửi vị trí” để mình tìm phường theo vị trí của bạn;\n" +
		"• gõ /canbo để gặp cán bộ."
	textUnsupported = "Xin lỗi, Hỏi Phường hiện chỉ hỗ trợ tin nhắn chữ và vị trí. " +
		"Bạn vui lòng gõ câu hỏi hoặc gửi vị trí nhé."
	textContactOwn = "Cảm ơn bạn. Hỏi Phường không cần số điện thoại để trả lời; " +
		"bạn cứ gõ câu hỏi hoặc gửi vị trí nhé. Nếu cần cán bộ gọi lại, hãy gõ /canbo."
	textContactOther = "Hỏi Phường chỉ hỗ trợ tin nhắn chữ và vị trí, và không nhận số điện thoại của người khác. " +
		"Bạn vui lòng gõ câu hỏi hoặc gửi vị trí nhé."
	textStaleButton = "Nút này đã cũ. Bạn vui lòng gõ lại câu hỏi."
)

var helpReplies = []bot.QuickReply{
	{Label: "📍 Gửi vị trí", Payload: bot.PayloadLocation},
	{Label: "Đăng ký khai sinh ở đâu?", Payload: "Đăng ký khai sinh ở đâu?"},
	{Label: "Gặp cán bộ", Payload: bot.PayloadHuman},
}

// Canned answers what the adapter handles itself: /start, /help and other
// commands, and content other than text and location.
func (c *Channel) Canned(msg bot.Message) (bot.Answer, bool) {
	if msg.Location != nil {
		return bot.Answer{}, false
	}
	text := strings.TrimSpace(msg.Text)
	switch {
	case strings.HasPrefix(text, "/"): // /start, /help, unknown commands (/canbo became text)
		return bot.Answer{Kind: bot.KindAnswer, Text: textHelp, Replies: helpReplies}, true
	case text == textOwnContact:
		return bot.Answer{Kind: bot.KindFallback, Text: textContactOwn}, true
	case text == textContact:
		return bot.Answer{Kind: bot.KindFallback, Text: textContactOther}, true
	case text == textSticker, text == textPhoto, text == textFile, text == textVoice,
		text == textVideo, text == textOther:
		return bot.Answer{Kind: bot.KindFallback, Text: textUnsupported}, true
	}
	return bot.Answer{}, false
}
