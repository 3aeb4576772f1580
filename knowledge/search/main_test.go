package search

import (
	"context"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

func TestMain(m *testing.M) { meilitest.Main(m) }

// loadKB returns the full seed knowledge base.
func loadKB(t testing.TB) *knowledge.KB {
	t.Helper()
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

// built returns an Index over a fresh prefix with the seed built into it.
func built(t testing.TB) (*Index, BuildStats) {
	t.Helper()
	client, prefix := meilitest.Client(t)
	ix := New(client, prefix, WithSynonyms(seed.Synonyms()))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	stats, err := ix.Build(ctx, loadKB(t))
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return ix, stats
}
