package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/meilisearch/meilisearch-go"
)

// primaryKey is the id field of each index's documents.
func primaryKey(name string) string {
	if name == Units {
		return "code"
	}
	return "id"
}

// mergeHits merges the hits of several queries on one index: each
// document once, with its best ranking score, best first (ties keep the
// order of the queries, then of their hits), at most limit. weight, if not
// nil, weighs each hit's score for the comparisons (hybrid searches: see
// hybridWeight); the hits keep their own scores.
func mergeHits(results []meilisearch.SearchResponse, key string, limit int, weight func(meilisearch.Hit) float64) (meilisearch.Hits, error) {
	type scored struct {
		hit   meilisearch.Hit
		score float64
		order int
	}
	best := map[string]*scored{}
	var all []*scored
	for _, res := range results {
		for _, h := range res.Hits {
			var score float64
			if err := json.Unmarshal(h["_rankingScore"], &score); err != nil {
				return nil, fmt.Errorf("hit without a ranking score: %w", err)
			}
			if weight != nil {
				score *= weight(h)
			}
			id := string(h[key])
			if id == "" {
				return nil, fmt.Errorf("hit without %s", key)
			}
			if s, ok := best[id]; ok {
				if score > s.score {
					s.hit, s.score = h, score
				}
				continue
			}
			s := &scored{hit: h, score: score, order: len(all)}
			best[id] = s
			all = append(all, s)
		}
	}
	slices.SortFunc(all, func(a, b *scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	out := make(meilisearch.Hits, 0, min(limit, len(all)))
	for _, s := range all[:min(limit, len(all))] {
		out = append(out, s.hit)
	}
	return out, nil
}
