package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// BuildStats describes one Build.
type BuildStats struct {
	Duration  time.Duration
	Documents map[string]int // per index name (Units, OldUnits, Procedures, Curated)
	// Semantic: the procedures and curated indexes hold embeddings (hybrid
	// search configured and the embeddings endpoint answered).
	Semantic bool
}

// spec is one index to build: its name, key, settings and documents.
type spec struct {
	name       string
	primaryKey string
	settings   *meilisearch.Settings
	docs       any // a slice of documents
	count      int
}

// specs returns what Build writes for kb.
func (i *Index) specs(kb *knowledge.KB) []spec {
	units, old, procs := unitDocs(kb), oldUnitDocs(kb), procedureDocs(kb)
	// The KB's own synonyms (editors change them) win over WithSynonyms.
	synonyms := i.synonyms
	if len(kb.Synonyms) > 0 {
		synonyms = kb.SynonymMap()
	}
	return []spec{
		{Units, "code", unitSettings(), units, len(units)},
		{OldUnits, "id", oldUnitSettings(), old, len(old)},
		{Procedures, "id", procedureSettings(synonyms), procs, len(procs)},
	}
}

// Build publishes kb: it fills <prefix><name>_next for every index, waits
// for all those tasks (each checked), then swaps the three into the live
// names in one atomic task and deletes the previous versions. Searches keep
// answering from the live indexes throughout. If any step fails, the live
// indexes are untouched and the error says which task failed and why.
//
// With hybrid search, the procedures and the curated answers are embedded
// first and staged with their vectors; if the embeddings endpoint fails,
// the build goes on keyword-only (logged) and drops the curated index.
// With replicas, every node is built in turn (the embeddings once); an
// error names the node.
func (i *Index) Build(ctx context.Context, kb *knowledge.KB) (BuildStats, error) {
	specs := i.specs(kb)
	semantic := false
	if i.hybrid != nil { // embedded once, for every node
		specs, semantic = i.hybridSpecs(ctx, kb, specs)
		if err := ctx.Err(); err != nil {
			return BuildStats{}, fmt.Errorf("search build: %w", err)
		}
	}
	var stats BuildStats
	for n, node := range i.nodes() {
		st, err := node.build(ctx, specs)
		if err != nil {
			return st, nodeErr(n, err)
		}
		if i.hybrid != nil && !semantic {
			if err := node.dropCurated(ctx); err != nil {
				return st, nodeErr(n, fmt.Errorf("search build: %w", err))
			}
		}
		if n == 0 {
			stats = st
		}
	}
	if i.hybrid != nil {
		stats.Semantic = semantic
		i.hybrid.setLive(semantic)
	}
	return stats, nil
}

func (i *Index) build(ctx context.Context, specs []spec) (BuildStats, error) {
	i.buildMu.Lock()
	defer i.buildMu.Unlock()
	start := time.Now()
	stats := BuildStats{Documents: map[string]int{}}

	existing, err := i.existing(ctx)
	if err != nil {
		return stats, err
	}
	// Every task is enqueued before any is waited for, so Meilisearch runs
	// them back to back; waiting step by step would add a round trip and a
	// poll interval to each of them, and leave the indexer idle meanwhile.
	var staged tasks
	swaps := make([]*meilisearch.SwapIndexesParams, 0, len(specs))
	for _, s := range specs {
		live, next := i.UID(s.name), i.UID(s.name)+nextSuffix
		if existing[next] { // left by a build that failed half-way
			info, err := i.client.DeleteIndexWithContext(ctx, next)
			if err := staged.add("delete stale "+next, info, err, "index_not_found"); err != nil {
				return stats, fmt.Errorf("search build: %w", err)
			}
		}
		if !existing[live] { // swapping needs both sides to exist
			info, err := i.client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: live, PrimaryKey: s.primaryKey})
			if err := staged.add("create "+live, info, err, "index_already_exists"); err != nil {
				return stats, fmt.Errorf("search build: %w", err)
			}
		}
		if err := i.stage(ctx, &staged, next, s); err != nil {
			return stats, fmt.Errorf("search build: %w", err)
		}
		swaps = append(swaps, &meilisearch.SwapIndexesParams{Indexes: []string{live, next}})
		stats.Documents[s.name] = s.count
	}
	if err := i.wait(ctx, &staged); err != nil {
		return stats, fmt.Errorf("search build: %w", err)
	}

	var swap tasks
	info, err := i.client.SwapIndexesWithContext(ctx, swaps)
	if err := swap.add("swap indexes", info, err); err != nil {
		return stats, fmt.Errorf("search build: %w", err)
	}
	if err := i.wait(ctx, &swap); err != nil {
		return stats, fmt.Errorf("search build: %w", err)
	}
	// The _next indexes now hold the previous versions.
	var cleanup tasks
	for _, s := range specs {
		next := i.UID(s.name) + nextSuffix
		info, err := i.client.DeleteIndexWithContext(ctx, next)
		if err := cleanup.add("delete "+next, info, err); err != nil {
			return stats, fmt.Errorf("search build: %w", err)
		}
	}
	if err := i.wait(ctx, &cleanup); err != nil {
		return stats, fmt.Errorf("search build: %w", err)
	}
	stats.Duration = time.Since(start)
	return stats, nil
}

// stage enqueues the settings and the documents of one _next index.
func (i *Index) stage(ctx context.Context, ts *tasks, uid string, s spec) error {
	ix := i.client.Index(uid)
	info, err := ix.UpdateSettingsWithContext(ctx, s.settings)
	if err := ts.add("settings of "+uid, info, err); err != nil {
		return err
	}
	if s.count == 0 { // an empty payload is refused; the index exists now
		return nil
	}
	pk := s.primaryKey
	info, err = ix.AddDocumentsWithContext(ctx, s.docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	return ts.add("documents of "+uid, info, err)
}

// existing returns the names of the indexes with this Index's prefix.
func (i *Index) existing(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	const page = 1000
	for offset := int64(0); ; offset += page {
		res, err := i.client.ListIndexesWithContext(ctx, &meilisearch.IndexesQuery{Limit: page, Offset: offset})
		if err != nil {
			return nil, fmt.Errorf("search build: list indexes: %w", clean(err))
		}
		for _, ix := range res.Results {
			if strings.HasPrefix(ix.UID, i.prefix) {
				out[ix.UID] = true
			}
		}
		if offset+page >= res.Total {
			return out, nil
		}
	}
}
