package search

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/meili"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
)

// Two Meilisearch nodes (MEILI_URLS): a build and its version mark reach
// both; a search answers from the second when the first is gone, and
// Ping says search is up while one node is.
func TestReplicas(t *testing.T) {
	ctx := t.Context()
	second, err := meili.Start(ctx, meili.Config{Bin: meilitest.Bin(), DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = second.Kill() })
	client, prefix := meilitest.Client(t)
	secondClient := meili.NewClient(second.URL(), second.Key(), 10*time.Second)
	ix := New(client, prefix, WithReplicas(secondClient))
	kb := loadKB(t)
	if _, err := ix.Build(ctx, kb); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetVersion(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if v, err := ix.Version(ctx); err != nil || v != 7 {
		t.Fatalf("version %d, %v; want 7 on both nodes", v, err)
	}
	alone := New(secondClient, prefix)
	if hits, err := alone.SearchUnits(ctx, "Tân Định", 3); err != nil || len(hits) == 0 {
		t.Fatalf("the second node alone: %v hits, %v", len(hits), err)
	}

	// A node that lost its indexes makes the version unknown: rebuild.
	if err := alone.SetVersion(ctx, 6); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Version(ctx); err == nil {
		t.Error("nodes holding versions 7 and 6 reported one version")
	}

	// The first node goes away: searches go on from the second.
	dead := New(meili.NewClient("http://127.0.0.1:1", "k", time.Second), prefix, WithReplicas(secondClient))
	for range 2 { // the second search starts at the node that answered
		hits, err := dead.SearchUnits(ctx, "Tân Định", 5)
		if err != nil || !slices.ContainsFunc(hits, func(h UnitHit) bool { return h.Code == "26737" }) {
			t.Errorf("with the first node down: %+v, %v", hits, err)
		}
	}
	if err := dead.Ping(ctx); err != nil {
		t.Errorf("ping with one node of two up: %v", err)
	}
	if err := New(meili.NewClient("http://127.0.0.1:1", "k", time.Second), prefix).Ping(context.Background()); err == nil {
		t.Error("ping of a dead node alone succeeded")
	}
}
