package search

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/meilisearch/meilisearch-go"
)

func TestExplore(t *testing.T) {
	ix, stats := built(t)
	t.Logf("build: %+v", stats)
	ctx := context.Background()
	for _, q := range strings.Split(os.Getenv("Q"), ";") {
		parts := strings.SplitN(q, ":", 2)
		res, err := ix.RawSearch(ctx, parts[0], parts[1], 5)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("== %s [%s] (%d ms)", parts[1], parts[0], res.ProcessingTimeMs)
		for _, h := range res.Hits {
			b, _ := json.Marshal(h)
			s := string(b)
			if len(s) > 300 {
				s = s[:300]
			}
			t.Logf("   %s", s)
		}
	}
}

func TestExploreTasks(t *testing.T) {
	ix, stats := built(t)
	t.Logf("build: %+v", stats)
	res, err := ix.client.GetTasksWithContext(context.Background(), &meilisearch.TasksQuery{Limit: 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range res.Results {
		t.Logf("%d %s %s %s enq=%s start=%s fin=%s", tk.UID, tk.IndexUID, tk.Type, tk.Duration, tk.EnqueuedAt.Format("05.000"), tk.StartedAt.Format("05.000"), tk.FinishedAt.Format("05.000"))
	}
}
