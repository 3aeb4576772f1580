package store

import "github.com/hoiphuong/hoiphuong/bot/nlu"

// notAQuestion reports whether an unanswered message is something no
// knowledge-base edit would answer, read with the bot's own readers: a
// request for a person ("gặp cán bộ", "cho tôi nói chuyện với người
// thật": nlu.IntentHuman), or a waiting citizen's question about the wait
// ("còn bao lâu", "tới lượt chưa"), which the bot answers with the queue
// status — a handoff reply. The same words in a question the bot failed
// ("làm hộ chiếu mất bao lâu", a fallback) are a real gap and stay.
func notAQuestion(text, reason string) bool {
	t := nlu.NewText(text)
	if nlu.ReadIntent(t) == nlu.IntentHuman {
		return true
	}
	return reason == ReasonHandoff && nlu.AsksQueueStatus(t)
}
