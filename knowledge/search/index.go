// Package search is the Meilisearch adapter of the knowledge base: the
// three indexes (units, old_units, procedures) with their Vietnamese
// settings and synonyms, the build that publishes a KB version into them
// (staged in *_next indexes, checked task by task, swapped in atomically),
// and the searches the bot runs on them.
//
// Meilisearch is derived data: SQLite holds the truth and Build can always
// recreate the indexes. Errors from here never carry the query text.
package search

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// Index names, before the prefix.
const (
	Units      = "units"
	OldUnits   = "old_units"
	Procedures = "procedures"
	// Curated holds the curated answers' phrasings with their embeddings;
	// built with hybrid search only.
	Curated = "curated"
)

// ProductionPrefix prefixes the index names the gateway serves from.
const ProductionPrefix = "hp_"

// nextSuffix marks the staging copy of an index during a build.
const nextSuffix = "_next"

// taskPoll is how often task status is polled: builds are short, so a
// small interval is most of what separates enqueueing from being done.
const taskPoll = 10 * time.Millisecond

// Index reads and (re)builds the indexes named prefix+Units, prefix+OldUnits
// and prefix+Procedures. It is safe for concurrent use; builds run one at a
// time.
type Index struct {
	client   meilisearch.ServiceManager
	prefix   string
	synonyms map[string]string // extra one-way synonyms for procedures
	hybrid   *hybridState      // nil: keyword search only
	buildMu  sync.Mutex
	// replicas keep the same indexes on more Meilisearch nodes
	// (WithReplicas); good is the node the last search answered from.
	replicas []*Index
	good     atomic.Int32
}

// Option configures an Index.
type Option func(*Index)

// WithSynonyms adds the KB's everyday-word list (folded term → folded
// meaning, e.g. seed.Synonyms()) to the procedures index's synonyms.
func WithSynonyms(m map[string]string) Option {
	return func(i *Index) { i.synonyms = m }
}

// New returns the adapter over client for the indexes named with prefix
// (ProductionPrefix in production; a unique one per test).
func New(client meilisearch.ServiceManager, prefix string, opts ...Option) *Index {
	i := &Index{client: client, prefix: prefix}
	for _, o := range opts {
		o(i)
	}
	for _, r := range i.replicas { // the same indexes, settings and embedder
		r.prefix, r.synonyms, r.hybrid = i.prefix, i.synonyms, i.hybrid
	}
	return i
}

// UID is the full name of one of the indexes (Units, OldUnits, Procedures).
func (i *Index) UID(name string) string { return i.prefix + name }

// Ping reports whether Meilisearch is up and available: with replicas,
// whether one of the nodes is (searches go to one that answers).
func (i *Index) Ping(ctx context.Context) error {
	var errs []error
	for _, n := range i.nodes() {
		err := n.ping(ctx)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (i *Index) ping(ctx context.Context) error {
	h, err := i.client.HealthWithContext(ctx)
	if err != nil {
		return fmt.Errorf("search: ping: %w", clean(err))
	}
	if h.Status != "available" {
		return fmt.Errorf("search: ping: status %q: %w", h.Status, ErrUnavailable)
	}
	return nil
}
