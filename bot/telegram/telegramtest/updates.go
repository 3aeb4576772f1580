package telegramtest

import (
	"encoding/json"
	"fmt"
	"time"
)

// Update fixtures, shaped like the Bot API's Update objects.

func private(chatID int64) string {
	return fmt.Sprintf(`{"id":%d,"first_name":"Lan","type":"private"}`, chatID)
}

func from(userID int64) string {
	return fmt.Sprintf(`{"id":%d,"is_bot":false,"first_name":"Lan","language_code":"vi"}`, userID)
}

func message(updateID int, chatID int64, fields string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"from":%s,"chat":%s,"date":%d,%s}}`,
		updateID, updateID+1000, from(chatID), private(chatID), time.Now().Unix(), fields)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TextUpdate is a private text message. A leading /command gets its
// bot_command entity, as Telegram sends it.
func TextUpdate(updateID int, chatID int64, text string) string {
	fields := `"text":` + quote(text)
	if len(text) > 0 && text[0] == '/' {
		n := len(text)
		for i, r := range text {
			if r == ' ' {
				n = i
				break
			}
		}
		fields += fmt.Sprintf(`,"entities":[{"offset":0,"length":%d,"type":"bot_command"}]`, n)
	}
	return message(updateID, chatID, fields)
}

// LocationUpdate is a shared pin.
func LocationUpdate(updateID int, chatID int64, lat, lon float64) string {
	return message(updateID, chatID, fmt.Sprintf(`"location":{"latitude":%g,"longitude":%g}`, lat, lon))
}

// ContactUpdate is a shared contact of contactUserID.
func ContactUpdate(updateID int, chatID, contactUserID int64) string {
	return message(updateID, chatID, fmt.Sprintf(
		`"contact":{"phone_number":"+84901234567","first_name":"Lan","user_id":%d}`, contactUserID))
}

// StickerUpdate is a sticker.
func StickerUpdate(updateID int, chatID int64) string {
	return message(updateID, chatID, `"sticker":{"file_id":"CAAC","file_unique_id":"AgAD","width":512,"height":512,"is_animated":false,"emoji":"👍"}`)
}

// PhotoUpdate is a photo with a caption.
func PhotoUpdate(updateID int, chatID int64) string {
	return message(updateID, chatID, `"photo":[{"file_id":"AgAC","file_unique_id":"AQAD","width":90,"height":90}],"caption":"giấy tờ"`)
}

// GroupTextUpdate is a text message in a group chat.
func GroupTextUpdate(updateID int, chatID int64, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":1,"from":%s,"chat":{"id":%d,"title":"Tổ dân phố","type":"group"},"date":1751443200,"text":%s}}`,
		updateID, from(42), chatID, quote(text))
}

// EditedUpdate is an edited message.
func EditedUpdate(updateID int, chatID int64, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"edited_message":{"message_id":1,"from":%s,"chat":%s,"date":1751443200,"edit_date":1751443260,"text":%s}}`,
		updateID, from(chatID), private(chatID), quote(text))
}

// CallbackUpdate is a press on an inline-keyboard button.
func CallbackUpdate(updateID int, chatID int64, data string) string {
	return fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"cb%d","from":%s,"message":{"message_id":7,"from":{"id":123456,"is_bot":true,"first_name":"Hỏi Phường"},"chat":%s,"date":1751443200,"text":"…"},"chat_instance":"-77","data":%s}}`,
		updateID, updateID, from(chatID), private(chatID), quote(data))
}
