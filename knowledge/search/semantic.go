package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// CuratedHit is one curated answer found, with its ranking score: its
// phrasings' similarity to the query when Semantic, else a keyword score.
type CuratedHit struct {
	ID          string  `json:"id"`
	ProcedureID string  `json:"procedure_id"`
	Score       float64 `json:"_rankingScore"`
	Semantic    bool    `json:"-"`
	Details     struct {
		VectorSort json.RawMessage `json:"vectorSort"`
	} `json:"_rankingScoreDetails"`
}

// SearchCurated finds the curated answers whose phrasings mean what q
// says, best first. It returns nothing unless hybrid search is configured
// and the live indexes hold embeddings; an embedding failure returns
// nothing at once (the engine's own phrasing matcher stays in charge).
func (i *Index) SearchCurated(ctx context.Context, q string, limit int) ([]CuratedHit, error) {
	q = strings.TrimSpace(q)
	if q == "" || !i.Semantic(ctx) {
		return nil, nil
	}
	var hits []CuratedHit
	req := &meilisearch.SearchRequest{Query: q, AttributesToRetrieve: []string{"id", "procedure_id"}, ShowRankingScore: true}
	if !i.withVector(ctx, req) {
		return nil, nil
	}
	err := i.search(ctx, Curated, req, limit, &hits)
	for k := range hits {
		hits[k].Semantic = hits[k].Details.VectorSort != nil
	}
	return hits, err
}

// Hybrid reports whether hybrid search is configured (WithHybrid).
func (i *Index) Hybrid() bool { return i.hybrid != nil }

// Semantic reports whether searches are hybrid now: hybrid search is
// configured and the live indexes were built with embeddings. When this
// process has not built them, the procedures index's settings tell (once);
// if Meilisearch cannot be asked, the answer is no.
func (i *Index) Semantic(ctx context.Context) bool {
	h := i.hybrid
	if h == nil {
		return false
	}
	switch h.live.Load() {
	case semanticOn:
		return true
	case semanticOff:
		return false
	}
	emb, err := i.client.Index(i.UID(Procedures)).GetEmbeddersWithContext(ctx)
	if err != nil {
		return false
	}
	_, on := emb[EmbedderName]
	state := semanticOff
	if on {
		state = semanticOn
	}
	h.live.CompareAndSwap(semanticUnknown, state)
	return on
}

func (h *hybridState) setLive(on bool) {
	if on {
		h.live.Store(semanticOn)
	} else {
		h.live.Store(semanticOff)
	}
}

// withVector makes req hybrid with q's embedding; false when the
// embedding failed or took longer than QueryTimeout (req is unchanged:
// the search runs on keywords at once).
func (i *Index) withVector(ctx context.Context, req *meilisearch.SearchRequest) bool {
	h := i.hybrid
	ectx, cancel := context.WithTimeout(ctx, h.QueryTimeout)
	defer cancel()
	vecs, err := h.Embedder.Embed(ectx, []string{req.Query})
	if err != nil || len(vecs) != 1 || len(vecs[0]) == 0 {
		if ctx.Err() == nil {
			h.Logger.Warn("search: query embedding failed, searching by keywords", "err", err)
		}
		return false
	}
	req.Vector = vecs[0]
	req.Hybrid = &meilisearch.SearchRequestHybrid{Embedder: EmbedderName, SemanticRatio: h.Ratio}
	req.ShowRankingScoreDetails = true // tells semantic hits from keyword ones
	return true
}

// hybridWeight weighs hits the way Meilisearch merges the two sides of one
// hybrid search (a semantic hit's score by ratio, a keyword hit's by
// 1-ratio), so that merging the two matching strategies' hybrid results
// keeps that order instead of comparing similarities with keyword scores.
func hybridWeight(ratio float64) func(meilisearch.Hit) float64 {
	return func(h meilisearch.Hit) float64 {
		var details map[string]json.RawMessage
		if json.Unmarshal(h["_rankingScoreDetails"], &details) == nil && details["vectorSort"] != nil {
			return ratio
		}
		return 1 - ratio
	}
}

// searchProcedures runs a procedure search, hybrid when it can be: a
// failed embedding, or an index that refuses the hybrid request (rebuilt
// meanwhile without embeddings), falls back to keywords.
func (i *Index) searchProcedures(ctx context.Context, q string, limit int, out *[]ProcedureHit) error {
	req := procedureRequest(strings.TrimSpace(q))
	if req.Query == "" || !i.Semantic(ctx) || !i.withVector(ctx, req) {
		return i.search(ctx, Procedures, req, limit, out)
	}
	err := i.search(ctx, Procedures, req, limit, out)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status >= 400 && ae.Status < 500 {
		i.hybrid.Logger.Warn("search: hybrid search refused, searching by keywords", "err", err)
		i.hybrid.live.Store(semanticUnknown)
		return i.search(ctx, Procedures, procedureRequest(q), limit, out)
	}
	return err
}

// dropCurated deletes the live curated index, if any: a keyword-only build
// must not leave an earlier build's curated answers searchable.
func (i *Index) dropCurated(ctx context.Context) error {
	var ts tasks
	info, err := i.client.DeleteIndexWithContext(ctx, i.UID(Curated))
	if err := ts.add(fmt.Sprintf("delete %s", i.UID(Curated)), info, err, "index_not_found"); err != nil {
		return err
	}
	return i.wait(ctx, &ts)
}
