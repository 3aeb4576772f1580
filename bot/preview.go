package bot

import (
	"context"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// Preview answers turns as one conversation from kb — an editor's draft or
// a published version — without storing anything and without the search
// index (the deterministic engine alone, as it answers when search is
// down). The editor console shows it side by side with the live answers.
func Preview(ctx context.Context, kb *knowledge.KB, turns []string) []Answer {
	e := NewEngine(Config{KB: kb})
	var st State
	out := make([]Answer, 0, len(turns))
	for _, t := range turns {
		out = append(out, e.Respond(ctx, &st, Message{Text: t, Channel: "preview"}))
	}
	return out
}
