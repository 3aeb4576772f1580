package search

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
)

// wantCounts is how many documents each index holds for kb.
func wantCounts(kb *knowledge.KB) map[string]int {
	old := map[string]bool{}
	for _, m := range kb.Mappings {
		old[m.OldCode] = true
	}
	return map[string]int{
		Units:      len(kb.Units),
		OldUnits:   len(old) + len(kb.History),
		Procedures: len(kb.Procedures),
	}
}

// liveCounts reads the number of documents in each live index.
func liveCounts(t *testing.T, ix *Index) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, name := range []string{Units, OldUnits, Procedures} {
		st, err := ix.client.Index(ix.UID(name)).GetStatsWithContext(context.Background(), nil)
		if err != nil {
			t.Fatalf("stats of %s: %v", name, err)
		}
		out[name] = int(st.NumberOfDocuments)
	}
	return out
}

func TestBuild(t *testing.T) {
	ix, stats := built(t)
	t.Logf("full build from empty: %s (target < 3 s) %v", stats.Duration.Round(time.Millisecond), stats.Documents)
	if stats.Duration > 20*time.Second {
		t.Errorf("build took %s", stats.Duration)
	}
	kb := loadKB(t)
	want := wantCounts(kb)
	if want[Units] != 3321 || want[Procedures] != 124 {
		t.Fatalf("unexpected seed: %v", want)
	}
	live := liveCounts(t, ix)
	for name, n := range want {
		if stats.Documents[name] != n {
			t.Errorf("BuildStats.Documents[%s] = %d, want %d", name, stats.Documents[name], n)
		}
		if live[name] != n {
			t.Errorf("live %s holds %d documents, want %d", name, live[name], n)
		}
	}

	existing, err := ix.existing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for uid := range existing {
		if strings.HasSuffix(uid, nextSuffix) {
			t.Errorf("staging index %s left behind", uid)
		}
	}

	// The settings that bite when sent half-filled really are in place.
	for _, name := range []string{Units, OldUnits, Procedures} {
		typo, err := ix.client.Index(ix.UID(name)).GetTypoToleranceWithContext(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !typo.Enabled || typo.MinWordSizeForTypos.OneTypo != 5 || typo.MinWordSizeForTypos.TwoTypos != 9 || !typo.DisableOnNumbers {
			t.Errorf("%s typo tolerance = %+v", name, *typo)
		}
	}
	syn, err := ix.client.Index(ix.UID(OldUnits)).GetSynonymsWithContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := (*syn)["q"]; len(got) != 1 || got[0] != "quận" {
		t.Errorf(`old_units synonym "q" = %v`, got)
	}
}

func TestBuildFailuresAreErrors(t *testing.T) {
	kb := loadKB(t)
	// An embedder whose endpoint refuses every request: Meilisearch accepts
	// the settings, then fails their task when it probes the dimensions.
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"no"}`, http.StatusBadRequest)
	}))
	defer refusing.Close()
	unreachableEmbedder := procedureSettings(nil)
	unreachableEmbedder.Embedders = map[string]meilisearch.Embedder{"default": {
		Source: "rest", URL: refusing.URL + "/embed",
		Request: map[string]any{"input": "{{text}}"}, Response: map[string]any{"embedding": "{{embedding}}"},
	}}
	badTypo := procedureSettings(nil)
	badTypo.TypoTolerance.MinWordSizeForTypos = meilisearch.MinWordSizeForTypos{OneTypo: 9, TwoTypos: 5}
	docs := procedureDocs(kb)

	tests := []struct {
		name     string
		spec     spec
		taskCode string // the failed task's code; "" when Meilisearch refuses at once
		apiCode  string
	}{
		{"settings that fail in their task", spec{Procedures, "id", unreachableEmbedder, docs, len(docs)}, "vector_embedding_error", ""},
		{"invalid document id", spec{Procedures, "id", procedureSettings(nil), []map[string]any{{"id": "bad id!"}}, 1}, "invalid_document_id", ""},
		{"settings refused at once", spec{Procedures, "id", badTypo, docs, len(docs)}, "", "invalid_settings_typo_tolerance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, prefix := meilitest.Client(t)
			ix := New(client, prefix)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			good := spec{Procedures, "id", procedureSettings(nil), docs, len(docs)}
			if _, err := ix.build(ctx, []spec{good}); err != nil {
				t.Fatal(err)
			}

			_, err := ix.build(ctx, []spec{tt.spec})
			if err == nil {
				t.Fatal("build succeeded")
			}
			var te *TaskError
			var ae *APIError
			switch {
			case tt.taskCode != "" && (!errors.As(err, &te) || te.Code != tt.taskCode):
				t.Fatalf("err = %v, want a failed task with code %s", err, tt.taskCode)
			case tt.apiCode != "" && (!errors.As(err, &ae) || ae.Code != tt.apiCode):
				t.Fatalf("err = %v, want an API error with code %s", err, tt.apiCode)
			}
			t.Logf("error: %v", err)

			// The live index still serves the previous version.
			hits, err := ix.SearchProcedures(ctx, "khai sinh", 3)
			if err != nil || len(hits) == 0 {
				t.Fatalf("live index after a failed build: %v, %v", hits, err)
			}
			// And the next build clears what the failed one left.
			if _, err := ix.build(ctx, []spec{good}); err != nil {
				t.Fatalf("build after a failed one: %v", err)
			}
		})
	}
}

func TestRebuildKeepsAnswering(t *testing.T) {
	ix, _ := built(t)
	kb := loadKB(t)
	before := liveCounts(t, ix)

	ctx, cancel := context.WithCancel(context.Background())
	var searches, failures atomic.Int64
	var wg sync.WaitGroup
	for _, q := range []string{"da kao quan 1", "giay khai sinh"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				var n int
				var err error
				if strings.Contains(q, "khai") {
					var hits []ProcedureHit
					hits, err = ix.SearchProcedures(ctx, q, 3)
					n = len(hits)
				} else {
					var hits []OldUnitHit
					hits, err = ix.SearchOldUnits(ctx, q, OldUnitQuery{Limit: 3})
					n = len(hits)
				}
				if ctx.Err() != nil {
					return
				}
				searches.Add(1)
				if err != nil || n == 0 {
					failures.Add(1)
					t.Errorf("search %q during rebuild: %d hits, %v", q, n, err)
				}
			}
		}()
	}
	stats, err := ix.Build(ctx, kb)
	cancel()
	wg.Wait()
	if err != nil {
		t.Fatalf("second Build: %v", err)
	}
	t.Logf("rebuild: %s, %d searches answered meanwhile, %d failed",
		stats.Duration.Round(time.Millisecond), searches.Load(), failures.Load())
	if searches.Load() == 0 {
		t.Error("no search ran during the rebuild")
	}
	after := liveCounts(t, ix)
	for name, n := range before {
		if after[name] != n {
			t.Errorf("%s: %d documents after the rebuild, %d before", name, after[name], n)
		}
	}
}

func TestBuildHonoursContext(t *testing.T) {
	client, prefix := meilitest.Client(t)
	ix := New(client, prefix)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Build(ctx, loadKB(t)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
