package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// How many matters and unresolved questions the figures keep.
const (
	TopMattersPerUnit    = 5
	TopMattersCity       = 10
	TopUnresolvedPerUnit = 5
	TopUnresolvedCity    = 10
	// unresolvedScan caps the unresolved questions read per window (the
	// newest first), so a flood of fallbacks cannot slow the dashboard.
	unresolvedScan = 5000
)

// StatsWindow is what Stats measures: what is queued at Now, and what
// happened in [From, To). From should fall on a whole hour (the hourly
// series counts hours from it).
type StatsWindow struct {
	From, To time.Time
	Now      time.Time
	// Units limits the figures to these unit codes (CityQueue included);
	// nil: every unit.
	Units []string
}

// UnitStats are one unit's figures (UnitCode CityQueue: the city level).
type UnitStats struct {
	UnitCode string
	// Now: handoffs queued (open) and owned (assigned), and how long the
	// queued ones have waited.
	Queued, Owned    int
	MaxWait, AvgWait time.Duration
	// In the window: handoffs created, how many of them broke the first
	// response SLA, per hour from From (slot i: [From+i h, From+(i+1) h)).
	Handoffs, Breaches int
	Hourly             [24]int
	// Conversations about the unit active in the window (the handoff
	// rate's denominator; CityQueue: conversations without a unit).
	Conversations int
	// Ratings given in the window.
	CSATSum, CSATCount int
	Matters            []MatterCount // most handed-off matters, top TopMattersPerUnit
	Unresolved         []Unresolved  // top TopUnresolvedPerUnit
	// UnresolvedCount is how many questions in the window the bot could not
	// answer (every occurrence, not only the top groups').
	UnresolvedCount int
}

// CSAT is the average rating (0 when there is none).
func (u UnitStats) CSAT() float64 {
	if u.CSATCount == 0 {
		return 0
	}
	return float64(u.CSATSum) / float64(u.CSATCount)
}

// MatterCount is how many handoffs were about a procedure.
type MatterCount struct {
	ProcedureID string
	Count       int
}

// Unresolved is a citizen question the bot could not answer (a fallback,
// or the second miss that handed the chat off), grouped by its folded text.
type Unresolved struct {
	Key     string // lowercase, no diacritics, punctuation and spaces collapsed
	Example string // the newest original text
	Count   int
}

// Stats are the dashboard's figures: per unit (sorted by code, only units
// with something to show) and city-wide tops.
type Stats struct {
	Units      []UnitStats
	Matters    []MatterCount // top TopMattersCity
	Unresolved []Unresolved  // top TopUnresolvedCity
	// DataSince is when the first conversation still stored began (zero:
	// none): the figures cannot cover any time before it.
	DataSince time.Time
}

// Stats computes the dashboard's figures for w. Each query reads one index
// range: the active queues, or the window's handoffs, conversations,
// ratings and fallbacks.
func (s *Store) Stats(ctx context.Context, w StatsWindow) (Stats, error) {
	acc := statsAcc{units: map[string]*UnitStats{}, w: w, only: unitSet(w.Units)}
	from, to, now := sqldb.FormatInstant(w.From), sqldb.FormatInstant(w.To), sqldb.FormatInstant(w.Now)
	for _, step := range []struct {
		what string
		fn   func() error
	}{
		{"queues", func() error { return s.statsQueues(ctx, &acc) }},
		{"handoffs", func() error { return s.statsHandoffs(ctx, &acc, from, to, now) }},
		{"conversations", func() error { return s.statsConversations(ctx, &acc, from, to) }},
		{"csat", func() error { return s.statsCSAT(ctx, &acc, from, to) }},
		{"matters", func() error { return s.statsMatters(ctx, &acc, from, to) }},
		{"unresolved", func() error { return s.statsUnresolved(ctx, &acc, from, to) }},
		{"data since", func() (err error) { acc.since, err = s.DataSince(ctx); return err }},
	} {
		if err := step.fn(); err != nil {
			return Stats{}, fmt.Errorf("dashboard stats: %s: %w", step.what, err)
		}
	}
	return acc.result(), nil
}

// The dashboard's queries; each reads one index range (TestStatsQueriesUseIndexes).
const (
	sqlQueues = `SELECT unit_code, status, created_at FROM handoff_requests
		WHERE status IN ('open', 'assigned')`
	sqlHandoffs = `SELECT unit_code, substr(created_at, 1, 13), COUNT(*),
		SUM(CASE WHEN first_response_at IS NOT NULL AND first_response_at > due_at THEN 1
		         WHEN first_response_at IS NULL AND due_at < COALESCE(closed_at, ?) THEN 1
		         ELSE 0 END)
		FROM handoff_requests WHERE created_at >= ? AND created_at < ?
		GROUP BY unit_code, substr(created_at, 1, 13)`
	sqlConversations = `SELECT unit_code, COUNT(*) FROM conversations
		WHERE updated_at >= ? AND created_at < ? GROUP BY unit_code`
	sqlCSAT = `SELECT unit_code, SUM(score), COUNT(*) FROM csat
		WHERE created_at >= ? AND created_at < ? GROUP BY unit_code`
	sqlMatters = `SELECT unit_code, procedure_id, COUNT(*) FROM handoff_requests
		WHERE created_at >= ? AND created_at < ? AND procedure_id <> ''
		GROUP BY unit_code, procedure_id`
	sqlFallbacks = `SELECT i.text, c.unit_code, o.created_at FROM messages o
		JOIN messages i ON i.id = o.reply_to
		JOIN conversations c ON c.id = o.conversation_id
		WHERE o.kind = 'fallback' AND o.created_at >= ? AND o.created_at < ?
		ORDER BY o.created_at DESC LIMIT ?`
	sqlMisses = `SELECT i.text, h.unit_code, h.created_at FROM handoff_requests h
		JOIN messages i ON i.id = h.message_id
		WHERE h.created_at >= ? AND h.created_at < ? AND h.reason = 'misses'
		ORDER BY h.created_at DESC LIMIT ?`
	sqlDataSince = `SELECT MIN(created_at) FROM conversations`
)

// statsAcc gathers the figures of the queries.
type statsAcc struct {
	w          StatsWindow
	since      time.Time
	only       map[string]bool // nil: all units
	units      map[string]*UnitStats
	matters    map[string]int
	unresolved map[string]*unresolvedAcc // folded key → question
	perUnit    map[string]map[string]*unresolvedAcc
}

// unresolvedAcc gathers one group of unresolved questions: the
// dashboard's Unresolved and the editors' UnansweredGroup alike.
type unresolvedAcc struct {
	Unresolved
	latest   string         // instant of the newest occurrence
	examples []string       // up to maxExamples distinct texts, as first seen
	reasons  map[string]int // reason → occurrences ("" not kept)
}

// maxExamples is how many original texts a group keeps.
const maxExamples = 3

// unresolvedKey groups questions: folded (no case, diacritics or
// punctuation), spaces collapsed.
func unresolvedKey(text string) string { return names.Fold(text) }

// unitSet is a set of unit codes; nil for nil (every unit).
func unitSet(codes []string) map[string]bool {
	if codes == nil {
		return nil
	}
	set := make(map[string]bool, len(codes))
	for _, c := range codes {
		set[c] = true
	}
	return set
}

// unit returns the unit's figures, nil when the unit is filtered out.
func (a *statsAcc) unit(code sql.NullString) *UnitStats {
	c := code.String
	if c == "" {
		c = CityQueue
	}
	if a.only != nil && !a.only[c] {
		return nil
	}
	u := a.units[c]
	if u == nil {
		u = &UnitStats{UnitCode: c}
		a.units[c] = u
	}
	return u
}

// DataSince returns when the first conversation still stored began; zero
// when there is none.
func (s *Store) DataSince(ctx context.Context) (time.Time, error) {
	var at sql.NullString
	if err := s.db.QueryRowContext(ctx, sqlDataSince).Scan(&at); err != nil || !at.Valid {
		return time.Time{}, err
	}
	return sqldb.ParseInstant(at.String)
}

func (s *Store) statsQueues(ctx context.Context, a *statsAcc) error {
	rows, err := s.db.QueryContext(ctx, sqlQueues)
	if err != nil {
		return err
	}
	defer rows.Close()
	waits := map[*UnitStats]time.Duration{}
	for rows.Next() {
		var code sql.NullString
		var status, created string
		if err := rows.Scan(&code, &status, &created); err != nil {
			return err
		}
		u := a.unit(code)
		if u == nil {
			continue
		}
		if status == HandoffAssigned {
			u.Owned++
			continue
		}
		at, err := sqldb.ParseInstant(created)
		if err != nil {
			return err
		}
		wait := max(a.w.Now.Sub(at), 0)
		u.Queued++
		u.MaxWait = max(u.MaxWait, wait)
		waits[u] += wait
	}
	for u, sum := range waits {
		u.AvgWait = sum / time.Duration(u.Queued)
	}
	return rows.Err()
}

// statsHandoffs counts the window's handoffs per unit and hour, and the SLA
// breaches among them: a first response after the deadline, or none yet
// (none before the close) with the deadline passed.
func (s *Store) statsHandoffs(ctx context.Context, a *statsAcc, from, to, now string) error {
	rows, err := s.db.QueryContext(ctx, sqlHandoffs, now, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code sql.NullString
		var hour string
		var n, breaches int
		if err := rows.Scan(&code, &hour, &n, &breaches); err != nil {
			return err
		}
		u := a.unit(code)
		if u == nil {
			continue
		}
		u.Handoffs += n
		u.Breaches += breaches
		at, err := time.Parse("2006-01-02T15", hour)
		if err != nil {
			return fmt.Errorf("hour %q: %w", hour, err)
		}
		if slot := int(at.Sub(a.w.From.UTC().Truncate(time.Hour)) / time.Hour); slot >= 0 && slot < len(u.Hourly) {
			u.Hourly[slot] += n
		}
	}
	return rows.Err()
}

// statsConversations counts the conversations active in the window (begun
// before its end, touched since its start) per unit.
func (s *Store) statsConversations(ctx context.Context, a *statsAcc, from, to string) error {
	rows, err := s.db.QueryContext(ctx, sqlConversations, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code sql.NullString
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return err
		}
		if u := a.unit(code); u != nil {
			u.Conversations += n // NULL and 'city' both land on the city level
		}
	}
	return rows.Err()
}

func (s *Store) statsCSAT(ctx context.Context, a *statsAcc, from, to string) error {
	rows, err := s.db.QueryContext(ctx, sqlCSAT, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code sql.NullString
		var sum, n int
		if err := rows.Scan(&code, &sum, &n); err != nil {
			return err
		}
		if u := a.unit(code); u != nil {
			u.CSATSum += sum
			u.CSATCount += n
		}
	}
	return rows.Err()
}

func (s *Store) statsMatters(ctx context.Context, a *statsAcc, from, to string) error {
	rows, err := s.db.QueryContext(ctx, sqlMatters, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	a.matters = map[string]int{}
	for rows.Next() {
		var code sql.NullString
		var proc string
		var n int
		if err := rows.Scan(&code, &proc, &n); err != nil {
			return err
		}
		u := a.unit(code)
		if u == nil {
			continue
		}
		u.Matters = append(u.Matters, MatterCount{ProcedureID: proc, Count: n})
		a.matters[proc] += n
	}
	return rows.Err()
}

// statsUnresolved reads the newest unresolved questions of the window: the
// inbound messages answered with a fallback (the unit of the conversation)
// and those that handed off after two misses (the unit of the handoff).
func (s *Store) statsUnresolved(ctx context.Context, a *statsAcc, from, to string) error {
	a.unresolved = map[string]*unresolvedAcc{}
	a.perUnit = map[string]map[string]*unresolvedAcc{}
	queries := []string{sqlFallbacks, sqlMisses}
	for _, q := range queries {
		if err := s.scanUnresolved(ctx, a, q, from, to); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) scanUnresolved(ctx context.Context, a *statsAcc, query, from, to string) error {
	rows, err := s.db.QueryContext(ctx, query, from, to, unresolvedScan)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var text, at string
		var code sql.NullString
		if err := rows.Scan(&text, &code, &at); err != nil {
			return err
		}
		u := a.unit(code)
		if u == nil {
			continue
		}
		key := unresolvedKey(text)
		if key == "" {
			continue
		}
		u.UnresolvedCount++
		addUnresolved(a.unresolved, key, text, at, "")
		m := a.perUnit[u.UnitCode]
		if m == nil {
			m = map[string]*unresolvedAcc{}
			a.perUnit[u.UnitCode] = m
		}
		addUnresolved(m, key, text, at, "")
	}
	return rows.Err()
}

// addUnresolved counts one occurrence of a question (at: its instant) in
// its group, with why it was unresolved.
func addUnresolved(m map[string]*unresolvedAcc, key, text, at, reason string) {
	q := m[key]
	if q == nil {
		q = &unresolvedAcc{Unresolved: Unresolved{Key: key}}
		m[key] = q
	}
	q.Count++
	text = strings.Join(strings.Fields(text), " ")
	if at > q.latest {
		q.latest, q.Example = at, text
	}
	if len(q.examples) < maxExamples && !slices.Contains(q.examples, text) {
		q.examples = append(q.examples, text)
	}
	if reason != "" {
		if q.reasons == nil {
			q.reasons = map[string]int{}
		}
		q.reasons[reason]++
	}
}

func (a *statsAcc) result() Stats {
	out := Stats{DataSince: a.since}
	for _, u := range a.units {
		sortMatters(u.Matters)
		u.Matters = u.Matters[:min(len(u.Matters), TopMattersPerUnit)]
		u.Unresolved = topUnresolved(a.perUnit[u.UnitCode], TopUnresolvedPerUnit)
		out.Units = append(out.Units, *u)
	}
	slices.SortFunc(out.Units, func(x, y UnitStats) int { return strings.Compare(x.UnitCode, y.UnitCode) })
	for proc, n := range a.matters {
		out.Matters = append(out.Matters, MatterCount{ProcedureID: proc, Count: n})
	}
	sortMatters(out.Matters)
	out.Matters = out.Matters[:min(len(out.Matters), TopMattersCity)]
	out.Unresolved = topUnresolved(a.unresolved, TopUnresolvedCity)
	return out
}

// sortMatters orders by count, most first, then by id.
func sortMatters(ms []MatterCount) {
	slices.SortFunc(ms, func(x, y MatterCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), strings.Compare(x.ProcedureID, y.ProcedureID))
	})
}

// topUnresolved returns the n most asked questions, the most recently
// asked first among equals.
func topUnresolved(m map[string]*unresolvedAcc, n int) []Unresolved {
	qs := make([]*unresolvedAcc, 0, len(m))
	for _, q := range m {
		qs = append(qs, q)
	}
	sortUnresolved(qs)
	out := make([]Unresolved, 0, min(n, len(qs)))
	for _, q := range qs[:min(n, len(qs))] {
		out = append(out, q.Unresolved)
	}
	return out
}

// sortUnresolved orders groups by count, most first, then the most
// recently asked first.
func sortUnresolved(qs []*unresolvedAcc) {
	slices.SortFunc(qs, func(x, y *unresolvedAcc) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), strings.Compare(y.latest, x.latest), strings.Compare(x.Key, y.Key))
	})
}
