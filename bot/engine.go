// Package bot is the answering engine of Hỏi Phường: it turns one citizen
// message and the conversation's state into a structured Answer. Every
// surface (web chat, channels, terminal chat, eval) goes through it.
package bot

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// ProcedureIndex is the search index of procedures (Meilisearch in
// production): typo-tolerant retrieval for the questions the engine's own
// matcher cannot place. An error, or Healthy() false, means the index is
// unavailable: the engine answers from memory and says it is degraded.
type ProcedureIndex interface {
	SearchProcedures(ctx context.Context, query string, limit int) ([]SearchHit, error)
	Healthy() bool
}

// SearchHit is one procedure found by the index, with its ranking score (0–1).
type SearchHit struct {
	ID    string
	Score float64
}

// Locator resolves a location pin to the new unit that contains it
// (knowledge/geo).
type Locator interface {
	Locate(lat, lon float64) geo.Result
}

// Engine answers messages. It is safe for concurrent use; the knowledge
// base it answers from can be swapped atomically (publish, rollback).
type Engine struct {
	kb      atomic.Pointer[snapshot]
	index   ProcedureIndex
	locator Locator
	logger  *slog.Logger
	now     func() time.Time
	// assist is the optional language model; phrasing lets it rewrite
	// answers from their records too (LLM_MODE=full).
	assist   Assistant
	phrasing bool
}

// snapshot is one KB version with the indexes built from it.
type snapshot struct {
	kb      *knowledge.KB
	places  *knowledge.Places
	reader  *nlu.PlaceReader
	matters *nlu.Matters
	curated *curatedIndex
	asOf    string
}

// Config holds an Engine's dependencies. Index and Locator may be nil.
type Config struct {
	KB      *knowledge.KB // its Synonyms feed the matcher
	Index   ProcedureIndex
	Locator Locator
	Logger  *slog.Logger
	Now     func() time.Time
	// Assistant, when not nil, is asked only where the engine is unsure
	// (see turn.unsure); with Phrasing it also rewrites answers from their
	// records, behind its validator.
	Assistant Assistant
	Phrasing  bool
}

// NewEngine builds an engine over a KB.
func NewEngine(cfg Config) *Engine {
	e := &Engine{index: cfg.Index, locator: cfg.Locator, logger: cfg.Logger, now: cfg.Now, assist: cfg.Assistant, phrasing: cfg.Phrasing}
	if e.logger == nil {
		e.logger = slog.New(slog.DiscardHandler)
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.SetKB(cfg.KB)
	return e
}

// SetKB swaps the knowledge base the engine answers from, with its
// synonyms (none when the KB has none) and curated answers.
func (e *Engine) SetKB(kb *knowledge.KB) {
	places := knowledge.NewPlaces(kb)
	reader := nlu.NewPlaceReader(places, nlu.OrdinaryText(kb))
	e.kb.Store(&snapshot{
		kb:      kb,
		places:  places,
		reader:  reader,
		matters: nlu.NewMatters(kb.Procedures, foldSynonyms(kb.SynonymMap()), reader, kb.Curated...),
		curated: newCuratedIndex(kb.Curated),
		asOf:    kb.AsOf.Format("2006-01-02"),
	})
}

// foldSynonyms puts the KB's synonyms in the matcher's folded form; a
// phrase that folds to its own meaning (or to nothing) is dropped.
func foldSynonyms(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for phrase, means := range m {
		p, w := names.Fold(phrase), names.Fold(means)
		if p != "" && w != "" && p != w {
			out[p] = w
		}
	}
	return out
}

// KB returns the knowledge base the engine answers from now.
func (e *Engine) KB() *knowledge.KB { return e.kb.Load().kb }

// Respond answers one message, updating the conversation state in place.
// It never fails: an unavailable search index degrades the answer.
func (e *Engine) Respond(ctx context.Context, st *State, msg Message) Answer {
	s := e.kb.Load()
	t := turn{e: e, s: s, st: st, ctx: ctx, desk: st.Desk}
	st.Desk = false // asked again by the answer that wants a pin for it
	if st.Mode == "" {
		st.Mode = ModeBot
	}
	st.Turns++
	t.degraded = e.index != nil && !e.index.Healthy()
	a := t.phrase(t.respond(msg), msg.Text)
	if a.Kind == KindFallback && st.Misses >= 1 && msg.Location == nil {
		// Two answers in a row did not help: a person takes over.
		a = t.handoff(nlu.IntentNone)
	}
	if a.Kind == KindClarify && a.Procedure == nil {
		// Asking about the place does not forget the matter.
		if p, ok := s.matters.Procedure(st.ProcedureID); ok {
			a.Procedure = &ProcedureRef{ID: p.ID, Name: p.Name}
		}
	}
	if f := strings.TrimSpace(t.footer(a.Citations)); strings.Contains(a.Text, f) {
		a.Footer = f
	}
	a.Lead = foldable(a)
	a.KBVersion = s.kb.Version
	a.AsOf = s.asOf
	for i := range a.Citations {
		a.Citations[i].AsOf = s.asOf
	}
	if a.Kind == KindFallback {
		st.Misses++
	} else {
		st.Misses = 0
	}
	st.Asks = a.Asks
	return withFeedback(a)
}

// minFolded is the least the fold behind an answer's lead must hide
// (characters, the sources line aside): less is shown whole.
const minFolded = 80

// foldable is the answer's lead when a page may show it first and fold the
// rest: the lead still begins the text (a rewritten text has none) and
// enough follows it.
func foldable(a Answer) string {
	lead := strings.TrimSpace(a.Lead)
	if lead == "" || !strings.HasPrefix(a.Text, lead) {
		return ""
	}
	rest := strings.TrimPrefix(a.Text, lead)
	if a.Footer != "" {
		rest = strings.Replace(rest, a.Footer, "", 1)
	}
	if utf8.RuneCountInString(strings.TrimSpace(rest)) < minFolded {
		return ""
	}
	return lead
}
