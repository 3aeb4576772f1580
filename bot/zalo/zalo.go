// Package zalo holds what the two Zalo channel adapters (bot/zalooa, the
// Official Account API, and bot/zalobot, the Bot Platform) share: plain-text
// rendering of the engine's answers in chunks of at most MaxText
// characters, the citizen-facing texts of the adapters, and lenient JSON
// types for ids and coordinates that arrive as strings or numbers.
package zalo

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
)

// MaxText is the longest text sent in one Zalo message.
const MaxText = 2000

// Inbound texts the adapters store for what is not text or a location;
// Canned answers them.
const (
	TextUnsupportedIn = "[nội dung chưa hỗ trợ]"
	TextFollowIn      = "[quan tâm]"
)

// Citizen-facing texts.
const (
	TextGreeting = "Xin chào! Mình là Hỏi Phường — trợ lý cho biết phường, xã mới nào (sau sắp xếp từ 01/07/2025) " +
		"giải quyết việc của bạn ở TP. Hồ Chí Minh.\n\n" +
		"Bạn có thể gõ tên phường, xã cũ kèm quận, huyện (ví dụ “Phường Đa Kao, Quận 1”), " +
		"hỏi về một thủ tục (ví dụ “Đăng ký khai sinh ở đâu?”), hoặc gõ “gặp cán bộ” để gặp cán bộ."
	TextUnsupported = "Xin lỗi, Hỏi Phường hiện chỉ hỗ trợ tin nhắn chữ và vị trí. " +
		"Bạn vui lòng gõ câu hỏi hoặc gửi vị trí nhé."
)

// Canned answers a follow (greeting) and unsupported content; false leaves
// the message to the engine.
func Canned(msg bot.Message) (bot.Answer, bool) {
	if msg.Location != nil {
		return bot.Answer{}, false
	}
	switch strings.TrimSpace(msg.Text) {
	case TextFollowIn, "/start", "/help":
		return bot.Answer{Kind: bot.KindAnswer, Text: TextGreeting}, true
	case TextUnsupportedIn:
		return bot.Answer{Kind: bot.KindFallback, Text: TextUnsupported}, true
	}
	return bot.Answer{}, false
}

// Render turns an answer into plain-text messages of at most MaxText
// characters, split between paragraphs. Zalo has no verified buttons here,
// so quick replies become a short list of what the citizen can type,
// appended to the last chunk (or sent as its own chunk when it does not fit).
func Render(a bot.Answer, locationHint string) []outbox.OutMessage {
	chunks := telegram.Chunk(a.Text, MaxText)
	if list := replies(a.Replies, locationHint); list != "" {
		if n := len(chunks); n > 0 && len([]rune(chunks[n-1]))+2+len([]rune(list)) <= MaxText {
			chunks[n-1] += "\n\n" + list
		} else {
			chunks = append(chunks, telegram.Chunk(list, MaxText)...)
		}
	}
	out := make([]outbox.OutMessage, len(chunks))
	for i, s := range chunks {
		out[i] = outbox.OutMessage{Text: s}
	}
	return out
}

// replies lists the quick replies as phrases to type; the location reply
// becomes locationHint ("" drops it).
func replies(rs []bot.QuickReply, locationHint string) string {
	var b strings.Builder
	n, rating := 0, false
	for _, r := range rs {
		if r.Payload == bot.PayloadHelpful || r.Payload == bot.PayloadNotHelpful {
			rating = true
			continue
		}
		line := "“" + r.Payload + "”"
		if r.Payload == bot.PayloadLocation {
			if locationHint == "" {
				continue
			}
			line = locationHint
		}
		n++
		b.WriteString("\n" + strconv.Itoa(n) + ". " + line)
	}
	var out string
	if n > 0 {
		out = "Bạn có thể gõ:" + b.String()
	}
	if rating {
		if out != "" {
			out += "\n"
		}
		out += TextRateAnswer
	}
	return out
}

// TextRateAnswer ends an answer on Zalo, where quick replies are typed:
// how to rate it (bot.ReadFeedback reads both the emoji and the words).
const TextRateAnswer = "Câu trả lời có giúp được bạn không? Gõ “" + bot.PayloadHelpful + "” (hữu ích) hoặc “" + bot.PayloadNotHelpful + "” (chưa đúng)."

// ID is an id sent as a JSON string or number; numbers are kept digit for
// digit (64-bit ids must not go through float64).
type ID string

// UnmarshalJSON accepts a string, a number or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*id = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(strings.TrimSpace(s))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*id = ID(n.String())
	}
	return nil
}

// Float is a number sent as a JSON number or string; an unparseable value
// is left unset (Valid false) rather than failing the whole update.
type Float struct {
	V     float64
	Valid bool
}

// UnmarshalJSON accepts a number, a numeric string or null.
func (f *Float) UnmarshalJSON(b []byte) error {
	var id ID
	if err := id.UnmarshalJSON(b); err != nil {
		return nil // lenient: not a coordinate
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(string(id), ",", "."), 64)
	*f = Float{V: v, Valid: err == nil}
	return nil
}
