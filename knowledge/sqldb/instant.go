package sqldb

import (
	"fmt"
	"time"
)

// InstantLayout is how every store writes an instant: UTC text of a fixed
// width, so the same SQL runs on SQLite and Postgres and text order is time
// order.
const InstantLayout = "2006-01-02T15:04:05.000000000Z07:00"

// FormatInstant writes t in InstantLayout.
func FormatInstant(t time.Time) string { return t.UTC().Format(InstantLayout) }

// ParseInstant reads an instant written by FormatInstant.
func ParseInstant(s string) (time.Time, error) {
	t, err := time.Parse(InstantLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("instant %q: %w", s, err)
	}
	return t.UTC(), nil
}
