package store

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
)

func TestOpenHandoffQueuesOnceAndSetsMode(t *testing.T) {
	ctx := t.Context()
	tests := []struct {
		name, unit, wantUnit string
	}{
		{"at a ward", "26734", "26734"},
		{"no unit: the city", "", CityQueue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			id, _ := s.Create(ctx, "zalo-oa", "u1")
			in, _, _ := s.AppendInbound(ctx, id, bot.Message{Text: "gặp cán bộ"}, "")
			h, created, err := s.OpenHandoff(ctx, NewHandoff{ConversationID: id, MessageID: in, Reason: bot.ReasonRequested, UnitCode: tt.unit})
			if err != nil || !created {
				t.Fatalf("OpenHandoff = %v, created %v", err, created)
			}
			if h.UnitCode != tt.wantUnit || h.Status != HandoffOpen || h.MessageID != in || h.Channel != "zalo-oa" || h.ExternalID != "u1" {
				t.Errorf("handoff = %+v", h)
			}
			again, created, err := s.OpenHandoff(ctx, NewHandoff{ConversationID: id, Reason: bot.ReasonRequested, UnitCode: tt.unit})
			if err != nil || created || again.ID != h.ID {
				t.Errorf("second OpenHandoff = %d created %v err %v, want the same request", again.ID, created, err)
			}
			st, _ := s.State(ctx, id)
			if st.Mode != bot.ModeQueued {
				t.Errorf("mode %q, want queued", st.Mode)
			}
			// Saving the bot's state afterwards must not overwrite the mode.
			if err := s.SaveReply(ctx, id, in, bot.Answer{Kind: bot.KindNone}, bot.State{Mode: bot.ModeBot}); err != nil {
				t.Fatal(err)
			}
			if st, _ := s.State(ctx, id); st.Mode != bot.ModeQueued {
				t.Errorf("mode %q after SaveReply, want queued (the handoff owns it)", st.Mode)
			}
		})
	}
}

func TestQueueOrderPositionAndConcurrentClaim(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	clock := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	var hs []Handoff
	for _, ext := range []string{"a", "b", "c"} {
		id, _ := s.Create(ctx, "telegram", ext)
		h, _, err := s.OpenHandoff(ctx, NewHandoff{ConversationID: id, Reason: "requested", UnitCode: "26734"})
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	other, _ := s.Create(ctx, "telegram", "d")
	if _, _, err := s.OpenHandoff(ctx, NewHandoff{ConversationID: other, UnitCode: "27139"}); err != nil {
		t.Fatal(err)
	}
	q, err := s.Queue(ctx, []string{"26734"}, false)
	if err != nil || len(q) != 3 || q[0].ID != hs[0].ID || q[2].ID != hs[2].ID {
		t.Fatalf("queue = %+v, %v; want the three of 26734, oldest first", q, err)
	}
	for i, h := range hs {
		if p, _ := s.Position(ctx, h); p != i+1 {
			t.Errorf("position of #%d = %d, want %d", i, p, i+1)
		}
	}

	// Two staff claim the first at once: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { errs[i] = s.Claim(ctx, hs[0].ID, Actor{ID: int64(i + 1), Name: "cb"}, 5) })
	}
	wg.Wait()
	oneWinner(t, "claim", errs)
	if p, _ := s.Position(ctx, hs[1]); p != 1 {
		t.Errorf("after the claim the second is at %d, want 1", p)
	}
	// Capacity: a member with one chat and max 1 cannot take another.
	h0, _ := s.HandoffByID(ctx, hs[0].ID)
	if err := s.Claim(ctx, hs[1].ID, Actor{ID: h0.AssigneeID}, 1); !errors.Is(err, ErrCapacity) {
		t.Errorf("claim over capacity: %v, want ErrCapacity", err)
	}
	if st, _ := s.State(ctx, h0.ConversationID); st.Mode != bot.ModeHuman {
		t.Errorf("claimed conversation mode %q, want human", st.Mode)
	}

	// Transfer keeps the request's place in time, unowned, in the new queue.
	if err := s.Transfer(ctx, hs[0].ID, "27139", time.Time{}, Actor{ID: 9, Name: "sup"}, "sai địa bàn"); err != nil {
		t.Fatal(err)
	}
	q, _ = s.Queue(ctx, []string{"27139"}, false)
	if len(q) != 2 || q[0].ID != hs[0].ID || q[0].AssigneeID != 0 {
		t.Errorf("after transfer 27139 queue = %+v", q)
	}
	// Close asks for a rating; the rating is stored once per request.
	if err := s.Close(ctx, hs[0].ID, "resolved", bot.ModeClosed, Actor{ID: 9}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, hs[0].ID, "resolved", bot.ModeClosed, Actor{ID: 9}); !errors.Is(err, ErrTaken) {
		t.Errorf("closing twice: %v, want ErrTaken", err)
	}
	if err := s.Rate(ctx, hs[0].ConversationID, 4); err != nil {
		t.Fatal(err)
	}
	if err := s.RateComment(ctx, hs[0].ConversationID, "nhanh"); err != nil {
		t.Fatal(err)
	}
	if r, ok, _ := s.RatingOf(ctx, hs[0].ID); !ok || r.Score != 4 || r.Comment != "nhanh" {
		t.Errorf("rating = %+v %v", r, ok)
	}
	if err := s.Rate(ctx, hs[1].ConversationID, 5); !errors.Is(err, ErrNoHandoff) {
		t.Errorf("rating an open request: %v, want ErrNoHandoff", err)
	}
	ev, _ := s.Events(ctx, hs[0].ConversationID)
	var kinds []string
	for _, e := range ev {
		kinds = append(kinds, e.Kind)
	}
	want := []string{EventQueued, EventClaimed, EventTransferred, EventClosed, EventRated}
	if len(kinds) != len(want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Errorf("events %v, want %v", kinds, want)
			break
		}
	}
}

func TestSetSummaryOnlyOverTheOneItReplaces(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	id, _ := s.Create(ctx, "web", "u1")
	h, _, err := s.OpenHandoff(ctx, NewHandoff{ConversationID: id, Reason: bot.ReasonRequested, Summary: "mẫu"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.SetSummary(ctx, h.ID, "khác", "mô hình"); err != nil || ok {
		t.Fatalf("SetSummary over another summary = %v, %v", ok, err)
	}
	if ok, err := s.SetSummary(ctx, h.ID, "mẫu", "mô hình"); err != nil || !ok {
		t.Fatalf("SetSummary = %v, %v", ok, err)
	}
	got, err := s.HandoffByID(ctx, h.ID)
	if err != nil || got.Summary != "mô hình" {
		t.Errorf("summary = %q, %v", got.Summary, err)
	}
}

// ActiveByUnit counts queued and owned requests per queue, not closed ones;
// a close that asks no rating is recorded as a close, a hand-back as one.
func TestActiveByUnitAndCloseEvents(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	open := func(ext, unit string) Handoff {
		id, _ := s.Create(ctx, "telegram", ext)
		h, _, err := s.OpenHandoff(ctx, NewHandoff{ConversationID: id, Reason: bot.ReasonRequested, UnitCode: unit})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	a1, a2, b, city := open("a1", "26734"), open("a2", "26734"), open("b", "26737"), open("c", "")
	if err := s.Claim(ctx, a2.ID, Actor{ID: 7, Name: "Lan"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, b.ID, "not_needed", bot.ModeBot, Actor{ID: 7, Name: "Lan"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, city.ID, OutcomeHandedBack, bot.ModeBot, Actor{ID: 7, Name: "Lan"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ActiveByUnit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["26734"] != 2 {
		t.Errorf("ActiveByUnit = %v, want 26734: 2 (one queued, one owned)", got)
	}
	for _, tt := range []struct {
		h    Handoff
		kind string
	}{{a1, EventQueued}, {b, EventClosed}, {city, EventHandedBack}} {
		evs, err := s.Events(ctx, tt.h.ConversationID)
		if err != nil {
			t.Fatal(err)
		}
		if last := evs[len(evs)-1]; last.Kind != tt.kind {
			t.Errorf("handoff %d: last event %s, want %s", tt.h.ID, last.Kind, tt.kind)
		}
	}
}

// Gateways escalating the same overdue request at once (each runs the SLA
// check) escalate it once: one event, one alert.
func TestEscalatedOnceByConcurrentGateways(t *testing.T) {
	ctx := t.Context()
	loc := sqldbtest.Location(t)
	stores := []*Store{storeOn(t, sqldbtest.OpenAt(t, loc)), storeOn(t, sqldbtest.OpenAt(t, loc))}
	s := stores[0]
	id, _ := s.Create(ctx, "telegram", "a")
	h, _, err := s.OpenHandoff(ctx, NewHandoff{ConversationID: id, Reason: "requested", UnitCode: "26734",
		DueAt: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	const racers = 6
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() { errs[i] = stores[i%2].MarkEscalated(ctx, h.ID) })
	}
	wg.Wait()
	oneWinner(t, "escalation", errs)
	evs, err := s.Events(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Kind == EventEscalated {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d escalation events, want 1", n)
	}
}

// A live view reading "after id N" also gets what was stored recently
// below N (on Postgres a message can commit after one with a higher id),
// and nothing older.
func TestMessagesAfterLooksBack(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	clock := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	id, _ := s.Create(ctx, "web", "")
	old, _ := s.SystemMessage(ctx, id, bot.Answer{Kind: bot.KindSystem, Text: "cũ"})
	clock = clock.Add(time.Minute)
	late, _ := s.SystemMessage(ctx, id, bot.Answer{Kind: bot.KindSystem, Text: "ghi sau"})
	seen, _ := s.SystemMessage(ctx, id, bot.Answer{Kind: bot.KindSystem, Text: "đã xem"})
	ids := func(recent time.Time) (out []int64) {
		msgs, err := s.MessagesAfter(ctx, id, seen, recent, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			out = append(out, m.ID)
		}
		return out
	}
	if got := ids(time.Time{}); len(got) != 0 {
		t.Errorf("after the last id without a look back: %v, want none", got)
	}
	if got := ids(clock.Add(-10 * time.Second)); len(got) != 2 || got[0] != late || got[1] != seen || slices.Contains(got, old) {
		t.Errorf("with a 10 s look back: %v, want %d and %d (not %d)", got, late, seen, old)
	}
}

// oneWinner wants exactly one of racing transitions to succeed and the
// others to get ErrTaken.
func oneWinner(t *testing.T, what string, errs []error) {
	t.Helper()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, ErrTaken):
			t.Errorf("a losing %s: %v, want ErrTaken", what, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d of %d %ss won, want exactly 1", wins, len(errs), what)
	}
}
