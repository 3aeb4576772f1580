package store

import (
	"database/sql"
	"fmt"
	"time"
)

// Times are stored as text so that the same SQL runs on SQLite and
// Postgres: KB dates as YYYY-MM-DD (calendar days; NULL for none), instants
// as sqldb.FormatInstant writes them.
const dateLayout = "2006-01-02"

func formatDate(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: t.UTC().Format(dateLayout), Valid: true}
}

func parseDate(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s.String, err)
	}
	return t, nil
}
