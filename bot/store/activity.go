package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// HourActivity is what happened during one hour (UTC, on the hour): the
// dashboard's trends sum hours into Vietnam days and weeks.
type HourActivity struct {
	Hour               time.Time // the hour's start, UTC
	Chats              int       // conversations begun
	Handoffs, Breaches int       // handoffs created, and of them past the first-response SLA
	CSATSum, CSATCount int       // ratings given
}

// The trend queries: hours of [from, to) per unit, each read from one
// index range (TestActivityQueriesUseIndexes). Breaches are counted as in
// sqlHandoffs, at now.
const (
	sqlActivityChats = `SELECT unit_code, substr(created_at, 1, 13), COUNT(*) FROM conversations
		WHERE created_at >= ? AND created_at < ? GROUP BY unit_code, substr(created_at, 1, 13)`
	sqlActivityCSAT = `SELECT unit_code, substr(created_at, 1, 13), SUM(score), COUNT(*) FROM csat
		WHERE created_at >= ? AND created_at < ? GROUP BY unit_code, substr(created_at, 1, 13)`
)

// Activity returns, hour by hour, what happened in [w.From, w.To) at
// w.Units (nil: every unit), oldest first; hours with nothing are left out.
func (s *Store) Activity(ctx context.Context, w StatsWindow) ([]HourActivity, error) {
	only := unitSet(w.Units)
	hours := map[string]*HourActivity{}
	hour := func(code sql.NullString, h string) *HourActivity {
		c := code.String
		if c == "" {
			c = CityQueue
		}
		if only != nil && !only[c] {
			return nil
		}
		a := hours[h]
		if a == nil {
			a = &HourActivity{}
			hours[h] = a
		}
		return a
	}
	from, to, now := sqldb.FormatInstant(w.From), sqldb.FormatInstant(w.To), sqldb.FormatInstant(w.Now)
	steps := []struct {
		what  string
		query string
		args  []any
		add   func(a *HourActivity, n, m int)
	}{
		{"chats", sqlActivityChats, []any{from, to}, func(a *HourActivity, n, _ int) { a.Chats += n }},
		{"handoffs", sqlHandoffs, []any{now, from, to}, func(a *HourActivity, n, m int) { a.Handoffs += n; a.Breaches += m }},
		{"csat", sqlActivityCSAT, []any{from, to}, func(a *HourActivity, sum, n int) { a.CSATSum += sum; a.CSATCount += n }},
	}
	for _, st := range steps {
		if err := s.scanActivity(ctx, st.query, st.args, hour, st.add); err != nil {
			return nil, fmt.Errorf("activity: %s: %w", st.what, err)
		}
	}
	out := make([]HourActivity, 0, len(hours))
	for h, a := range hours {
		at, err := time.Parse("2006-01-02T15", h)
		if err != nil {
			return nil, fmt.Errorf("activity: hour %q: %w", h, err)
		}
		a.Hour = at
		out = append(out, *a)
	}
	slices.SortFunc(out, func(x, y HourActivity) int { return x.Hour.Compare(y.Hour) })
	return out, nil
}

// scanActivity reads rows of (unit, hour, n[, m]) into their hours.
func (s *Store) scanActivity(ctx context.Context, query string, args []any,
	hour func(code sql.NullString, h string) *HourActivity, add func(a *HourActivity, n, m int)) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		var code sql.NullString
		var h string
		var n, m int
		dest := []any{&code, &h, &n}
		if len(cols) > 3 {
			dest = append(dest, &m)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if a := hour(code, h); a != nil {
			add(a, n, m)
		}
	}
	return rows.Err()
}
