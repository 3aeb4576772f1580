package bot

import (
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// NewServiceForTest exposes the in-memory test service to external tests.
func NewServiceForTest(t testing.TB) *Service { return newTestService(t) }

// NewServiceWithAssistant is the in-memory test service with an Assistant
// (phrasing: LLM_MODE=full).
func NewServiceWithAssistant(t testing.TB, a Assistant, phrasing bool) *Service {
	t.Helper()
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := geo.New(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	return NewService(NewEngine(Config{KB: kb, Locator: loc, Assistant: a, Phrasing: phrasing}), newMemStore())
}
