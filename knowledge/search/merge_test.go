package search

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/meilisearch/meilisearch-go"
)

func hit(id string, score float64) meilisearch.Hit {
	idJSON, _ := json.Marshal(id)
	scoreJSON, _ := json.Marshal(score)
	return meilisearch.Hit{"id": idJSON, "_rankingScore": scoreJSON}
}

func TestMergeHits(t *testing.T) {
	tests := []struct {
		name    string
		results [][]meilisearch.Hit
		limit   int
		want    []string
		wantErr bool
	}{
		{"best score wins, each id once",
			[][]meilisearch.Hit{{hit("a", 0.5), hit("b", 0.4)}, {hit("b", 0.9), hit("c", 0.3)}}, 10,
			[]string{"b", "a", "c"}, false},
		{"ties keep query order", [][]meilisearch.Hit{{hit("x", 0.5)}, {hit("y", 0.5)}}, 10, []string{"x", "y"}, false},
		{"limit", [][]meilisearch.Hit{{hit("a", 0.9), hit("b", 0.8)}, {hit("c", 0.7)}}, 2, []string{"a", "b"}, false},
		{"nothing", [][]meilisearch.Hit{{}, {}}, 5, nil, false},
		{"no score", [][]meilisearch.Hit{{{"id": json.RawMessage(`"a"`)}}}, 5, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var results []meilisearch.SearchResponse
			for _, hs := range tt.results {
				results = append(results, meilisearch.SearchResponse{Hits: hs})
			}
			got, err := mergeHits(results, "id", tt.limit, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			var ids []string
			for _, h := range got {
				var id string
				json.Unmarshal(h["id"], &id)
				ids = append(ids, id)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("ids = %v, want %v", ids, tt.want)
			}
		})
	}
}
