package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// MaxText is sendMessage's text limit; chunks are measured escaped, in
// UTF-16 code units, so they fit however Telegram counts.
const MaxText = 4096

// Render turns an answer into HTML-mode messages: the text escaped and
// split on paragraph boundaries, the quick replies on the last chunk — an
// inline keyboard whose buttons carry short keys, or a reply keyboard with a
// request_location button when the answer asks for the citizen's location.
func (c *Channel) Render(ctx context.Context, a bot.Answer) ([]outbox.OutMessage, error) {
	chunks := Chunk(a.Text, MaxText)
	if len(chunks) == 0 && len(a.Replies) == 0 {
		return nil, nil
	}
	if len(chunks) == 0 {
		chunks = []string{"…"}
	}
	out := make([]outbox.OutMessage, len(chunks))
	for i, s := range chunks {
		out[i] = outbox.OutMessage{Text: EscapeHTML(s)}
	}
	markup, err := c.keyboard(ctx, a.Replies)
	if err != nil {
		return nil, err
	}
	out[len(out)-1].Markup = markup
	return out, nil
}

// keyboard renders quick replies (nil: none).
func (c *Channel) keyboard(ctx context.Context, replies []bot.QuickReply) (json.RawMessage, error) {
	if len(replies) == 0 {
		return nil, nil
	}
	var markup any
	if hasLocation(replies) {
		// A reply keyboard sends the button's text: show the payloads.
		var rows [][]tgbotapi.KeyboardButton
		for _, r := range replies {
			if r.Payload == bot.PayloadLocation {
				rows = append(rows, tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonLocation(r.Label)))
			} else {
				rows = append(rows, tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton(r.Payload)))
			}
		}
		kb := tgbotapi.NewOneTimeReplyKeyboard(rows...)
		kb.ResizeKeyboard = true
		markup = kb
	} else {
		var rows [][]tgbotapi.InlineKeyboardButton
		var rating []tgbotapi.InlineKeyboardButton // 👍 and 👎 share the last row
		for _, r := range replies {
			key, err := c.saveCallback(ctx, r.Payload)
			if err != nil {
				return nil, fmt.Errorf("telegram: keyboard: %w", err)
			}
			b := tgbotapi.NewInlineKeyboardButtonData(r.Label, key)
			if r.Payload == bot.PayloadHelpful || r.Payload == bot.PayloadNotHelpful {
				rating = append(rating, b)
				continue
			}
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(b))
		}
		if len(rating) > 0 {
			rows = append(rows, rating)
		}
		markup = tgbotapi.NewInlineKeyboardMarkup(rows...)
	}
	b, err := json.Marshal(markup)
	if err != nil {
		return nil, fmt.Errorf("telegram: keyboard: %w", err)
	}
	return b, nil
}

func hasLocation(replies []bot.QuickReply) bool {
	for _, r := range replies {
		if r.Payload == bot.PayloadLocation {
			return true
		}
	}
	return false
}

// EscapeHTML escapes text for parse_mode HTML: &, < and > only.
func EscapeHTML(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return htmlEscaper.Replace(s)
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escapedLen is the length of s escaped, in UTF-16 code units.
func escapedLen(s string) int {
	n := 0
	for _, r := range EscapeHTML(s) {
		n += utf16.RuneLen(r)
	}
	return n
}

// Chunk splits text into pieces whose escaped length is at most limit,
// breaking between paragraphs, then lines, then words, and only inside a
// word that is longer than a whole chunk. Empty pieces are dropped.
func Chunk(text string, limit int) []string {
	var out []string
	for _, s := range split(strings.TrimSpace(text), limit, []string{"\n\n", "\n", " "}) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func split(text string, limit int, seps []string) []string {
	if escapedLen(text) <= limit {
		return []string{text}
	}
	if len(seps) == 0 {
		return hardSplit(text, limit)
	}
	sep := seps[0]
	var out []string
	cur := ""
	for _, part := range strings.Split(text, sep) {
		if cur != "" && escapedLen(cur+sep+part) <= limit {
			cur += sep + part
			continue
		}
		if cur != "" {
			out = append(out, cur)
		}
		cur = part
		if escapedLen(part) > limit {
			pieces := split(part, limit, seps[1:])
			out = append(out, pieces[:len(pieces)-1]...)
			cur = pieces[len(pieces)-1]
		}
	}
	return append(out, cur)
}

// hardSplit cuts between runes.
func hardSplit(text string, limit int) []string {
	var out []string
	var b strings.Builder
	n := 0
	for _, r := range text {
		w := escapedLen(string(r))
		if n+w > limit && b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
			n = 0
		}
		b.WriteRune(r)
		n += w
	}
	return append(out, b.String())
}
