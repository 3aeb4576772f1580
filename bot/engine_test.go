package bot

import (
	"context"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

func newTestService(t testing.TB) *Service {
	t.Helper()
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := geo.New(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	return NewService(NewEngine(Config{KB: kb, Synonyms: seed.Synonyms(), Locator: loc}), newMemStore())
}

func ask(t testing.TB, s *Service, turns ...string) Answer {
	t.Helper()
	ctx := context.Background()
	id, err := s.Start(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	var a Answer
	for _, turn := range turns {
		a, err = s.Handle(ctx, Message{ConversationID: id, Text: turn})
		if err != nil {
			t.Fatal(err)
		}
	}
	return a
}
