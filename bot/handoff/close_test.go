package handoff

import (
	"errors"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Closing needs an outcome that says what happened: the outcomes that
// claim the citizen was helped ("Đã giải đáp" …) are refused while no staff
// member has replied in this handoff, and nothing is stored or sent; "Không
// cần trả lời" (and spam) close without asking the citizen to rate help
// never given, and the bot is theirs again at once.
func TestCloseOutcomeMatchesWhatHappened(t *testing.T) {
	tests := []struct {
		name       string
		replied    bool
		outcome    string
		wantErr    error
		wantRating bool // the citizen is asked for 1–5
		wantMode   string
	}{
		{"answered without a reply", false, OutcomeResolved, ErrNoReply, false, bot.ModeHuman},
		{"referred without a reply", false, OutcomeReferred, ErrNoReply, false, bot.ModeHuman},
		{"citizen silent without a reply", false, OutcomeNoResponse, ErrNoReply, false, bot.ModeHuman},
		{"no outcome", false, "", ErrInvalid, false, bot.ModeHuman},
		{"hand-back is not a close outcome", false, OutcomeHandedBack, ErrInvalid, false, bot.ModeHuman},
		{"not needed without a reply", false, OutcomeNotNeeded, nil, false, bot.ModeBot},
		{"spam without a reply", false, OutcomeSpam, nil, false, bot.ModeBot},
		{"answered after a reply", true, OutcomeResolved, nil, true, bot.ModeClosed},
		{"not needed after a reply", true, OutcomeNotNeeded, nil, false, bot.ModeBot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			r := newRig(t, at(0, 9, 0))
			id, _ := r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
			if err := r.desk.Claim(ctx, staffA, id); err != nil {
				t.Fatal(err)
			}
			if tt.replied {
				if err := r.desk.Reply(ctx, staffA, id, "Chào anh, anh cần giấy tờ gì ạ?"); err != nil {
					t.Fatal(err)
				}
			}
			sent := len(r.courier.sent)
			err := r.desk.Close(ctx, staffA, id, tt.outcome)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Close(%q) = %v, want %v", tt.outcome, err, tt.wantErr)
			}
			h, herr := r.st.LastHandoff(ctx, id)
			if herr != nil {
				t.Fatal(herr)
			}
			st, serr := r.st.State(ctx, id)
			if serr != nil {
				t.Fatal(serr)
			}
			if st.Mode != tt.wantMode {
				t.Errorf("mode = %q, want %q", st.Mode, tt.wantMode)
			}
			if tt.wantErr != nil {
				if h.Status != store.HandoffAssigned || len(r.courier.sent) != sent {
					t.Errorf("a refused close changed the chat: status %s, %d sent", h.Status, len(r.courier.sent)-sent)
				}
				return
			}
			if h.Status != store.HandoffClosed || h.Outcome != tt.outcome {
				t.Errorf("handoff = %s %q, want closed %q", h.Status, h.Outcome, tt.outcome)
			}
			if len(r.courier.sent) != sent+1 {
				t.Fatalf("%d notices sent on close, want 1", len(r.courier.sent)-sent)
			}
			notice := r.courier.sent[len(r.courier.sent)-1]
			if asked := notice.Asks == bot.AskRating || len(notice.Replies) == 5 || strings.Contains(notice.Text, "chấm điểm"); asked != tt.wantRating {
				t.Errorf("rating asked = %v, want %v: %+v", asked, tt.wantRating, notice)
			}
			if !tt.wantRating && !strings.Contains(notice.Text, TicketNumber(h.ID)) {
				t.Errorf("the quiet close notice does not name the request: %q", notice.Text)
			}
			events, err := r.st.Events(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if last := events[len(events)-1]; last.Kind != store.EventClosed || last.Text != tt.outcome {
				t.Errorf("last event = %s %q, want closed %q", last.Kind, last.Text, tt.outcome)
			}
			// A "5" after a quiet close is a question for the bot, not a rating.
			r.chat(t, id, "5")
			if _, rated, _ := r.st.RatingOf(ctx, h.ID); rated != tt.wantRating {
				t.Errorf("rating stored = %v, want %v", rated, tt.wantRating)
			}
		})
	}
}

// Every close outcome the console offers has a Vietnamese name; those
// that say the citizen was helped need a reply and ask for a rating.
func TestOutcomeNamesAndRules(t *testing.T) {
	tests := []struct {
		outcome, name string
		helped        bool
	}{
		{OutcomeResolved, "Đã giải đáp", true},
		{OutcomeReferred, "Hướng dẫn đến cơ quan khác", true},
		{OutcomeNoResponse, "Công dân không phản hồi", true},
		{OutcomeNotNeeded, "Không cần trả lời", false},
		{OutcomeSpam, "Tin rác", false},
	}
	if len(Outcomes) != len(tests) {
		t.Errorf("Outcomes = %v, want the %d below", Outcomes, len(tests))
	}
	for i, tt := range tests {
		if i < len(Outcomes) && Outcomes[i] != tt.outcome {
			t.Errorf("Outcomes[%d] = %q, want %q", i, Outcomes[i], tt.outcome)
		}
		if got := OutcomeName(tt.outcome); got != tt.name {
			t.Errorf("OutcomeName(%q) = %q, want %q", tt.outcome, got, tt.name)
		}
		if OutcomeNeedsReply(tt.outcome) != tt.helped || OutcomeAsksRating(tt.outcome) != tt.helped {
			t.Errorf("%s: needs a reply %v, asks a rating %v; want %v", tt.outcome, OutcomeNeedsReply(tt.outcome), OutcomeAsksRating(tt.outcome), tt.helped)
		}
	}
}
