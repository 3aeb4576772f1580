package bot

import (
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
	return NewService(NewEngine(Config{KB: kb, Locator: loc}), newMemStore())
}
