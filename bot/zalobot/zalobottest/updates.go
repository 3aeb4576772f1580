package zalobottest

import (
	"encoding/json"
	"fmt"
	"time"
)

// Update fixtures, shaped like the Bot Platform's updates.

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func message(event, chatID, messageID, fields string) string {
	return fmt.Sprintf(`{"event_name":%q,"message":{"message_id":%q,"from":{"id":%q,"display_name":"Lan","is_bot":false},`+
		`"chat":{"id":%q,"chat_type":"PRIVATE"},"date":%d%s}}`,
		event, messageID, chatID, chatID, time.Now().UnixMilli(), fields)
}

// TextUpdate is a bare message.text.received update (the OpenClaw shape).
func TextUpdate(chatID, messageID, text string) string {
	return message("message.text.received", chatID, messageID, `,"text":`+quote(text))
}

// Envelope wraps an update as {"ok":true,"result":…} (the go-zalo-bot shape).
func Envelope(update string) string { return `{"ok":true,"result":` + update + `}` }

// StickerUpdate is a sticker.
func StickerUpdate(chatID, messageID string) string {
	return message("message.sticker.received", chatID, messageID, `,"sticker":"abc","url":"https://zalo.example/s.png"`)
}

// ImageUpdate is a photo with a caption.
func ImageUpdate(chatID, messageID string) string {
	return message("message.image.received", chatID, messageID, `,"photo_url":"https://zalo.example/p.jpg","caption":"giấy tờ"`)
}

// GroupTextUpdate is a text in a group chat.
func GroupTextUpdate(chatID, messageID, text string) string {
	return fmt.Sprintf(`{"event_name":"message.text.received","message":{"message_id":%q,"from":{"id":"u1","display_name":"Lan"},`+
		`"chat":{"id":%q,"chat_type":"GROUP"},"date":%d,"text":%s}}`, messageID, chatID, time.Now().UnixMilli(), quote(text))
}
