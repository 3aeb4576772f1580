package search

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// Embedder turns texts into embeddings, one per text and in order (the
// LLM client's Embed in production). Declared here, where it is consumed.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// EmbedderName names the userProvided embedder in the indexes' settings
// and in the documents' _vectors.
const EmbedderName = "hp"

// DefaultSemanticRatio is the share of the semantic side in hybrid
// searches, tuned on the dev set's 40 matter questions and six paraphrases
// with the fake model (TestTuneSemanticRatio). Keywords alone: 35 first,
// 10 taken by the engine, 0 paraphrases. 0.1–0.2 find few paraphrases;
// 0.3–0.5 find all six with none of the engine's confident keyword answers
// lost, 0.4 ranking the most dev questions first (40); from 0.6 semantic
// hits, whose similarity scores stay under the engine's 0.9, push those
// answers down (10 → 3). 0.4 is the best and the middle of the safe range.
const DefaultSemanticRatio = 0.4

// Hybrid turns on hybrid (keyword + semantic) search: procedures and
// curated answers get embeddings at every Build, stored as userProvided
// vectors, and procedure and curated searches send the query's embedding.
type Hybrid struct {
	Embedder Embedder
	// Ratio is the semantic share, in (0, 1]; 0 means DefaultSemanticRatio.
	Ratio float64
	// BatchSize is how many texts go in one embeddings request (64).
	BatchSize int
	// QueryTimeout bounds the query's embedding (400 ms): past it, or on
	// any error, the search runs on keywords alone at once.
	QueryTimeout time.Duration
	Logger       *slog.Logger
}

// WithHybrid turns hybrid search on; a nil Embedder leaves it off.
func WithHybrid(h Hybrid) Option {
	return func(i *Index) {
		if h.Embedder == nil {
			return
		}
		if h.Ratio <= 0 || h.Ratio > 1 {
			h.Ratio = DefaultSemanticRatio
		}
		if h.BatchSize <= 0 {
			h.BatchSize = 64
		}
		if h.QueryTimeout <= 0 {
			h.QueryTimeout = 400 * time.Millisecond
		}
		if h.Logger == nil {
			h.Logger = slog.New(slog.DiscardHandler)
		}
		i.hybrid = &hybridState{Hybrid: h, cache: map[string][]float32{}}
	}
}

// Semantic states of the live indexes.
const (
	semanticUnknown int32 = iota // not built by this process, not checked
	semanticOn                   // built with vectors
	semanticOff                  // keyword only
)

// hybridState is the configuration plus what the live indexes hold.
type hybridState struct {
	Hybrid
	live atomic.Int32 // semanticUnknown | semanticOn | semanticOff

	mu    sync.Mutex
	cache map[string][]float32 // text → embedding, from the last build
}

// vectors are one document's _vectors: every embedder's embeddings.
type vectors map[string][][]float32

// procedureText is what a procedure's embedding is computed from.
func procedureText(d ProcedureDoc) string {
	parts := []string{d.Name}
	if len(d.Aliases) > 0 {
		parts = append(parts, strings.Join(d.Aliases, "; "))
	}
	if d.Field != "" {
		parts = append(parts, d.Field)
	}
	return strings.Join(parts, ". ")
}

// embedDocs computes the embeddings of the procedures and the curated
// questions and attaches them. It returns the dimensions, or an error when
// any batch failed (the build then goes on keyword-only).
func (h *hybridState) embedDocs(ctx context.Context, procs []ProcedureDoc, curated []CuratedDoc) (int, error) {
	var texts []string
	for _, p := range procs {
		texts = append(texts, procedureText(p))
	}
	for _, c := range curated {
		texts = append(texts, c.Questions...)
	}
	vecs, err := h.embedAll(ctx, texts)
	if err != nil {
		return 0, err
	}
	dims := 0
	for _, v := range vecs {
		if dims == 0 {
			dims = len(v)
		}
		if len(v) == 0 || len(v) != dims {
			return 0, fmt.Errorf("embeddings of %d and %d dimensions", dims, len(v))
		}
	}
	n := 0
	for k := range procs {
		procs[k].Vectors = vectors{EmbedderName: {vecs[n]}}
		n++
	}
	for k := range curated {
		vs := make([][]float32, 0, len(curated[k].Questions))
		for range curated[k].Questions {
			vs = append(vs, vecs[n])
			n++
		}
		curated[k].Vectors = vectors{EmbedderName: vs}
	}
	return dims, nil
}

// embedAll embeds texts in batches, reusing the previous build's
// embeddings of unchanged texts; the cache then holds exactly these texts.
func (h *hybridState) embedAll(ctx context.Context, texts []string) ([][]float32, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([][]float32, len(texts))
	var missing []int
	for k, t := range texts {
		if v, ok := h.cache[t]; ok {
			out[k] = v
		} else {
			missing = append(missing, k)
		}
	}
	for start := 0; start < len(missing); start += h.BatchSize {
		batch := missing[start:min(start+h.BatchSize, len(missing))]
		in := make([]string, len(batch))
		for k, idx := range batch {
			in[k] = texts[idx]
		}
		vecs, err := h.Embedder.Embed(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("embed batch of %d: %w", len(in), err)
		}
		if len(vecs) != len(in) {
			return nil, fmt.Errorf("embed batch of %d: %d embeddings back", len(in), len(vecs))
		}
		for k, idx := range batch {
			out[idx] = vecs[k]
		}
	}
	cache := make(map[string][]float32, len(texts))
	for k, t := range texts {
		cache[t] = out[k]
	}
	h.cache = cache
	return out, nil
}

// embedderSettings declares the userProvided embedder of dims dimensions.
func embedderSettings(dims int) map[string]meilisearch.Embedder {
	return map[string]meilisearch.Embedder{EmbedderName: {
		Source: meilisearch.UserProvidedEmbedderSource, Dimensions: dims,
	}}
}

// hybridSpecs embeds the documents of kb for a build. On success the
// procedures and curated specs carry the embedder and the vectors; on
// failure it logs and leaves them keyword-only: a build (a publish) never
// waits for, nor fails on, the embeddings endpoint.
func (i *Index) hybridSpecs(ctx context.Context, kb *knowledge.KB, specs []spec) ([]spec, bool) {
	h := i.hybrid
	procs := procedureDocs(kb)
	curated := curatedDocs(kb)
	start := time.Now()
	dims, err := h.embedDocs(ctx, procs, curated)
	if err != nil {
		if ctx.Err() == nil {
			h.Logger.Warn("search build: embeddings failed, building keyword-only indexes", "err", err)
		}
		// Without vectors the curated index serves nothing: not built.
		return specs, false
	}
	h.Logger.Info("search build: embeddings computed", "procedures", len(procs), "curated", len(curated),
		"dimensions", dims, "seconds", time.Since(start).Seconds())
	for k, s := range specs {
		if s.name == Procedures {
			s.settings.Embedders = embedderSettings(dims)
			s.docs = procs
			specs[k] = s
		}
	}
	cs := curatedSettings()
	cs.Embedders = embedderSettings(dims)
	return append(specs, spec{Curated, "id", cs, curated, len(curated)}), true
}
