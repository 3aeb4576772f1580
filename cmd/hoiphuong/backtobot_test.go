package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
)

// TestTelegramBackToBot: the way back to the bot works on a channel too.
// On Telegram the handoff answer carries a "Quay lại hỏi bot" button;
// pressing it gives the bot back with the ticket kept in the ward's queue.
func TestTelegramBackToBot(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	g := startGateway(t, telegramEnv(t, fake))
	post := func(update string) { t.Helper(); postUpdate(t, g.url, update) }
	const chat = 6160
	post(telegramtest.TextUpdate(1, chat, "phường 5 quận 3"))
	fake.WaitFor(t, "sendMessage", 1, 10*time.Second)
	post(telegramtest.TextUpdate(2, chat, "cho tôi gặp cán bộ"))
	handoff := fake.WaitFor(t, "sendMessage", 2, 10*time.Second)[1].Form
	var markup struct {
		Keyboard [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(handoff.Get("reply_markup")), &markup); err != nil || len(markup.Keyboard) != 1 ||
		markup.Keyboard[0][0].Text != "Quay lại hỏi bot" || !strings.Contains(handoff.Get("text"), "HP-000001") {
		t.Fatalf("handoff message: %q, keyboard %s (%v)", handoff.Get("text"), handoff.Get("reply_markup"), err)
	}

	post(telegramtest.CallbackUpdate(3, chat, markup.Keyboard[0][0].Data))
	back := fake.WaitFor(t, "sendMessage", 3, 10*time.Second)[2].Form.Get("text")
	if !strings.Contains(back, "mình quay lại trả lời bạn") || !strings.Contains(back, "HP-000001 vẫn được giữ trong hàng chờ của cán bộ Phường Bàn Cờ") {
		t.Errorf("after the button: %q", back)
	}
	post(telegramtest.TextUpdate(4, chat, "đăng ký khai sinh"))
	if answer := fake.WaitFor(t, "sendMessage", 4, 10*time.Second)[3].Form.Get("text"); !strings.Contains(answer, "Thủ tục: Đăng ký khai sinh") {
		t.Errorf("the bot answers again: %q", answer)
	}
	var status, mode string
	if err := g.app.db.QueryRow(`SELECT h.status, c.mode FROM handoff_requests h JOIN conversations c ON c.id = h.conversation_id`).Scan(&status, &mode); err != nil ||
		status != "open" || mode != "bot" {
		t.Errorf("ticket %q, conversation %q (%v): want the ticket open for staff and the bot answering", status, mode, err)
	}
}
