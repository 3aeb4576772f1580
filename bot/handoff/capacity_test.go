package handoff

import (
	"errors"
	"sync"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Replying to a queued chat claims it, within the clerk's max chats like
// a claim: at the limit the reply is refused (ErrCapacity) and nothing is
// stored, sent or claimed.
func TestReplyToQueuedChatWithinCapacity(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(0, 9, 0))
	clerk := staff.User{ID: 7, Name: "Cán bộ C", Role: staff.RoleStaff, Units: []string{"27154"}, MaxChats: 1}
	first, _ := r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
	second, _ := r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
	if err := r.desk.Reply(ctx, clerk, first, "Chào anh, tôi xem ngay."); err != nil {
		t.Fatalf("first reply (claims): %v", err)
	}
	before := len(r.courier.sent)
	if err := r.desk.Reply(ctx, clerk, second, "Chào chị."); !errors.Is(err, ErrCapacity) {
		t.Fatalf("reply over capacity: %v, want ErrCapacity", err)
	}
	h, err := r.st.ActiveHandoff(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != store.HandoffOpen || h.AssigneeID != 0 || !h.FirstResponseAt.IsZero() {
		t.Errorf("refused reply changed the request: %+v", h)
	}
	if len(r.courier.sent) != before {
		t.Errorf("refused reply was delivered")
	}
	msgs, err := r.st.Messages(ctx, second, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Kind == bot.KindStaff {
			t.Errorf("refused reply stored: %+v", m)
		}
	}
}

// Two replies at once to two queued chats by a clerk with room for one:
// exactly one claims and is sent, the other is refused.
func TestParallelRepliesWithinCapacity(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(0, 9, 0))
	clerk := staff.User{ID: 8, Name: "Cán bộ D", Role: staff.RoleStaff, Units: []string{"27154"}, MaxChats: 1}
	var ids []string
	for range 2 {
		id, _ := r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
		ids = append(ids, id)
	}
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { errs[i] = r.desk.Reply(ctx, clerk, id, "Chào anh chị, tôi hỗ trợ ngay.") })
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrCapacity):
			refused++
		default:
			t.Errorf("reply: %v", err)
		}
	}
	owned := 0
	for _, id := range ids {
		if h, err := r.st.ActiveHandoff(ctx, id); err == nil && h.AssigneeID == clerk.ID {
			owned++
		}
	}
	if ok != 1 || refused != 1 || owned != 1 || len(r.courier.sent) != 1 {
		t.Errorf("%d sent, %d refused, %d owned, %d delivered; want 1 of each", ok, refused, owned, len(r.courier.sent))
	}
}
