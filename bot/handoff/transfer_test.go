package handoff

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// A transfer tells the citizen, on their own channel (the outbox) and live
// (the web chat), where their request went, that their ticket stays the
// same and where it now waits; the notice is stored as a system message.
func TestTransferTellsTheCitizen(t *testing.T) {
	tests := []struct {
		name, to string
		when     func() (day, hour, min int)
		want     []string
	}{
		{"to another ward in office hours", "26737", func() (int, int, int) { return 0, 9, 0 },
			[]string{"Yêu cầu của bạn đã được chuyển đến cán bộ Phường Tân Định", "Số phiếu HP-000001 của bạn vẫn giữ nguyên", "vị trí số 1", "Bạn không cần nhắn lại"}},
		{"to the city queue after hours", staff.CityQueue, func() (int, int, int) { return 0, 18, 0 },
			[]string{"chuyển đến cán bộ tiếp nhận của Thành phố", "Số phiếu HP-000001", "ngoài giờ làm việc", "07:30 thứ Ba, 01/12/2026"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			r := newRig(t, at(tt.when()))
			id, _ := r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
			events, stop := r.desk.Hub().Subscribe(func(e live.Event) bool { return e.ConversationID == id && e.Direction == "out" })
			defer stop()
			if err := r.desk.Claim(ctx, staffA, id); err != nil {
				t.Fatal(err)
			}
			sent := len(r.courier.sent)
			if err := r.desk.Transfer(ctx, staffA, id, tt.to, "Công dân ở địa bàn khác"); err != nil {
				t.Fatal(err)
			}
			if len(r.courier.sent) != sent+1 {
				t.Fatalf("%d messages sent on transfer, want 1", len(r.courier.sent)-sent)
			}
			notice, key := r.courier.sent[sent], r.courier.keys[sent]
			for _, w := range tt.want {
				if !strings.Contains(notice.Text, w) {
					t.Errorf("transfer notice lacks %q:\n%s", w, notice.Text)
				}
			}
			if notice.Kind != bot.KindSystem || !strings.HasPrefix(key, "zalo-oa/u-") {
				t.Errorf("notice %s via %s, want a system message on the citizen's Zalo", notice.Kind, key)
			}
			msgs, err := r.st.Messages(ctx, id, 1)
			if err != nil {
				t.Fatal(err)
			}
			last := msgs[len(msgs)-1]
			if last.Kind != bot.KindSystem || last.Text != notice.Text || !strings.HasSuffix(key, fmt.Sprintf("/staff:%d", last.ID)) {
				t.Errorf("stored %s %q (key %s), want the system notice that was sent", last.Kind, last.Text, key)
			}
			select {
			case e := <-events:
				if e.Kind != live.Message || e.MessageID != last.ID || e.Unit != tt.to {
					t.Errorf("live event = %+v, want the notice in the new queue", e)
				}
			default:
				t.Error("the web chat was not told (no live event)")
			}
			if st, _ := r.st.State(ctx, id); st.Mode != bot.ModeQueued {
				t.Errorf("mode after the transfer = %q, want queued", st.Mode)
			}
		})
	}
}
