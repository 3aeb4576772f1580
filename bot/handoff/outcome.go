package handoff

import "github.com/hoiphuong/hoiphuong/bot/store"

// Outcomes of a closed handoff (handoff_requests.outcome).
const (
	OutcomeResolved   = "resolved"    // the citizen's question was answered
	OutcomeReferred   = "referred"    // sent on to another office
	OutcomeNoResponse = "no_response" // staff replied, the citizen went silent
	// OutcomeNotNeeded: nobody had to answer (a duplicate, the bot had
	// answered, the citizen went away before anyone replied).
	OutcomeNotNeeded = "not_needed"
	OutcomeSpam      = "spam"
	// OutcomeHandedBack is a hand-back to the bot, not a close outcome.
	OutcomeHandedBack = store.OutcomeHandedBack
)

// Outcomes are what a close may record, in the order the console offers.
var Outcomes = []string{OutcomeResolved, OutcomeReferred, OutcomeNoResponse, OutcomeNotNeeded, OutcomeSpam}

// OutcomeNeedsReply reports whether closing with o needs a staff reply in
// the handoff: the outcomes that say staff helped (or tried to).
func OutcomeNeedsReply(o string) bool {
	return o == OutcomeResolved || o == OutcomeReferred || o == OutcomeNoResponse
}

// OutcomeAsksRating reports whether the citizen is asked to rate the help
// after a close with o: only when help was given.
func OutcomeAsksRating(o string) bool { return OutcomeNeedsReply(o) }

// OutcomeName is an outcome in Vietnamese.
func OutcomeName(o string) string {
	switch o {
	case OutcomeResolved:
		return "Đã giải đáp"
	case OutcomeReferred:
		return "Hướng dẫn đến cơ quan khác"
	case OutcomeNoResponse:
		return "Công dân không phản hồi"
	case OutcomeNotNeeded:
		return "Không cần trả lời"
	case OutcomeSpam:
		return "Tin rác"
	case OutcomeHandedBack:
		return "Trả lại cho bot"
	}
	return o
}
