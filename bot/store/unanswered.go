package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Why a question counts as unanswered (UnansweredGroup.Reasons).
const (
	ReasonFallback   = "fallback"    // the bot did not understand it
	ReasonClarify    = "clarify"     // the bot asked back and never got to an answer
	ReasonHandoff    = "handoff"     // it went to a person
	ReasonThumbsDown = "thumbs_down" // the citizen rated the answer 👎
)

// ClarifyAbandoned is how long a clarifying question may wait for the
// conversation to go on before it counts as never got past.
const ClarifyAbandoned = 30 * time.Minute

// UnansweredGroup is a citizen question the bot could not answer well,
// grouped by its folded text, for editors to turn into an alias or a
// curated answer.
type UnansweredGroup struct {
	Key      string         // names.Fold of the question, spaces collapsed
	Count    int            // occurrences
	Examples []string       // up to 3 original texts
	Reasons  map[string]int // reason → occurrences
	LastAt   time.Time      // the newest occurrence
}

// The editors' queries; each reads one index range per row source
// (TestUnansweredQueriesUseIndexes). Arguments: from, to, limit.
const (
	// Inbound messages answered with a fallback or a handoff.
	sqlUnansweredKind = `SELECT i.text, o.created_at FROM messages o
		JOIN messages i ON i.id = o.reply_to
		WHERE o.kind = ? AND o.created_at >= ? AND o.created_at < ?
		ORDER BY o.created_at DESC LIMIT ?`
	// Inbound messages answered with a clarification, with the kind of the
	// conversation's next bot reply that is not itself a clarification
	// (NULL: none yet).
	sqlUnansweredClarify = `SELECT i.text, o.created_at,
		(SELECT n.kind FROM messages n
		 WHERE n.conversation_id = o.conversation_id AND n.id > o.id
		   AND n.direction = 'out' AND n.kind IN ('answer', 'fallback', 'handoff')
		 ORDER BY n.id LIMIT 1)
		FROM messages o
		JOIN messages i ON i.id = o.reply_to
		WHERE o.kind = 'clarify' AND o.created_at >= ? AND o.created_at < ?
		ORDER BY o.created_at DESC LIMIT ?`
	// Inbound messages whose answer got a 👎.
	sqlUnansweredThumbs = `SELECT i.text, f.created_at FROM feedback f
		JOIN messages o ON o.id = f.message_id
		JOIN messages i ON i.id = o.reply_to
		WHERE f.score = -1 AND f.created_at >= ? AND f.created_at < ?
		ORDER BY f.created_at DESC LIMIT ?`
	sqlUnansweredDone = `SELECT key, done_at FROM unanswered_done WHERE key IN (%s)`
)

// Unanswered returns the groups of questions since then that ended in a
// fallback, a clarification the conversation never got past, a handoff
// or a 👎, most frequent first, then the most recently asked first, at
// most limit (≤ 0: all). Requests for a person and waiting citizens'
// questions about the wait are left out (notAQuestion). Occurrences up to
// a group's MarkUnansweredDone no longer count; a group asked again after
// it comes back with the new occurrences only.
func (s *Store) Unanswered(ctx context.Context, since time.Time, limit int) ([]UnansweredGroup, error) {
	now := s.Now()
	from, to := sqldb.FormatInstant(since), sqldb.FormatInstant(now.Add(time.Second))
	groups := map[string]*unresolvedAcc{}
	type occurrence struct{ text, at, reason string }
	var occ []occurrence
	add := func(text, at, reason string) { occ = append(occ, occurrence{text, at, reason}) }
	for _, kind := range []string{ReasonFallback, ReasonHandoff} {
		if err := s.scanUnanswered(ctx, sqlUnansweredKind, []any{kind, from, to, unresolvedScan}, false, func(text, at string, _ sql.NullString) {
			add(text, at, kind)
		}); err != nil {
			return nil, fmt.Errorf("unanswered: %s: %w", kind, err)
		}
	}
	abandoned := sqldb.FormatInstant(now.Add(-ClarifyAbandoned))
	if err := s.scanUnanswered(ctx, sqlUnansweredClarify, []any{from, to, unresolvedScan}, true, func(text, at string, next sql.NullString) {
		if next.Valid && next.String != "answer" || !next.Valid && at <= abandoned {
			add(text, at, ReasonClarify)
		}
	}); err != nil {
		return nil, fmt.Errorf("unanswered: clarify: %w", err)
	}
	if err := s.scanUnanswered(ctx, sqlUnansweredThumbs, []any{from, to, unresolvedScan}, false, func(text, at string, _ sql.NullString) {
		add(text, at, ReasonThumbsDown)
	}); err != nil {
		return nil, fmt.Errorf("unanswered: thumbs down: %w", err)
	}
	// Newest first, so a group's examples are its newest texts.
	slices.SortStableFunc(occ, func(x, y occurrence) int { return strings.Compare(y.at, x.at) })
	keys := map[string]bool{}
	for _, o := range occ {
		if k := unresolvedKey(o.text); k != "" {
			keys[k] = true
		}
	}
	done, err := s.unansweredDone(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("unanswered: %w", err)
	}
	skip := map[occurrence]bool{} // by text and reason, at: ""
	for _, o := range occ {
		k := unresolvedKey(o.text)
		if k == "" || o.at <= done[k] {
			continue
		}
		what := occurrence{text: o.text, reason: o.reason}
		no, seen := skip[what]
		if !seen {
			no = notAQuestion(o.text, o.reason)
			skip[what] = no
		}
		if no {
			continue
		}
		addUnresolved(groups, k, o.text, o.at, o.reason)
	}
	qs := make([]*unresolvedAcc, 0, len(groups))
	for _, q := range groups {
		qs = append(qs, q)
	}
	sortUnresolved(qs)
	if limit > 0 && len(qs) > limit {
		qs = qs[:limit]
	}
	out := make([]UnansweredGroup, 0, len(qs))
	for _, q := range qs {
		last, err := sqldb.ParseInstant(q.latest)
		if err != nil {
			return nil, fmt.Errorf("unanswered: %w", err)
		}
		out = append(out, UnansweredGroup{Key: q.Key, Count: q.Count, Examples: q.examples, Reasons: maps.Clone(q.reasons), LastAt: last})
	}
	return out, nil
}

// scanUnanswered runs one of the queries; withNext: its rows have a third
// column, the kind of the next bot reply.
func (s *Store) scanUnanswered(ctx context.Context, query string, args []any, withNext bool, fn func(text, at string, next sql.NullString)) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var text, at string
		var next sql.NullString
		dest := []any{&text, &at}
		if withNext {
			dest = append(dest, &next)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		fn(text, at, next)
	}
	return rows.Err()
}

// unansweredDone returns when each of keys was marked done (absent: never).
func (s *Store) unansweredDone(ctx context.Context, keys map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	list := make([]string, 0, len(keys))
	for k := range keys {
		list = append(list, k)
	}
	const batch = 500
	for len(list) > 0 {
		n := min(batch, len(list))
		args := make([]any, n)
		for i, k := range list[:n] {
			args[i] = k
		}
		list = list[n:]
		q := fmt.Sprintf(sqlUnansweredDone, strings.TrimSuffix(strings.Repeat("?, ", n), ", "))
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("done marks: %w", err)
		}
		for rows.Next() {
			var k, at string
			if err := rows.Scan(&k, &at); err != nil {
				rows.Close()
				return nil, fmt.Errorf("done marks: %w", err)
			}
			out[k] = at
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("done marks: %w", err)
		}
	}
	return out, nil
}

// MarkUnansweredDone records that an editor dealt with a group (resolution:
// what they did, e.g. "alias khai-sinh" or "curated le-phi-ho-chieu"):
// its occurrences until now leave the list. Marking again moves the mark.
func (s *Store) MarkUnansweredDone(ctx context.Context, key, actor, resolution string) error {
	k := unresolvedKey(key)
	if k == "" {
		return fmt.Errorf("mark unanswered done: empty key")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO unanswered_done (key, actor, resolution, done_at)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET actor = excluded.actor, resolution = excluded.resolution, done_at = excluded.done_at`,
		k, actor, resolution, sqldb.FormatInstant(s.Now()))
	if err != nil {
		return fmt.Errorf("mark unanswered %q done: %w", k, err)
	}
	return nil
}
