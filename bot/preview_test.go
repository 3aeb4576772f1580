package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

func TestPreviewAnswersFromTheGivenKB(t *testing.T) {
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	draft := *kb
	draft.Procedures = append(draft.Procedures[:0:0], kb.Procedures...)
	for i, p := range draft.Procedures {
		if p.ID == "khai-sinh" {
			draft.Procedures[i].Fee = "Lệ phí mới: 7.000 đồng"
		}
	}
	turns := []string{"phường 5 quận 3", "đăng ký khai sinh"}
	live := Preview(context.Background(), kb, turns)
	next := Preview(context.Background(), &draft, turns)
	if len(live) != 2 || len(next) != 2 {
		t.Fatalf("answers %d and %d, want 2 each", len(live), len(next))
	}
	if strings.Contains(live[1].Text, "7.000 đồng") || !strings.Contains(next[1].Text, "Lệ phí mới: 7.000 đồng") {
		t.Errorf("live: %q\ndraft: %q", live[1].Text, next[1].Text)
	}
	if next[1].Unit == nil || next[1].Unit.Code != "27154" {
		t.Errorf("the second turn kept the place of the first: %+v", next[1].Unit)
	}
}
