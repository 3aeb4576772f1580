package store

import (
	"context"
	"fmt"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Holiday is a day the offices are closed.
type Holiday struct {
	Day       string `json:"day"` // YYYY-MM-DD
	Name      string `json:"name"`
	UpdatedBy string `json:"updated_by"`
}

// Holidays lists the closed days, by date.
func (s *Store) Holidays(ctx context.Context) ([]Holiday, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT day, name, updated_by FROM holidays ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	defer rows.Close()
	var out []Holiday
	for rows.Next() {
		var h Holiday
		if err := rows.Scan(&h.Day, &h.Name, &h.UpdatedBy); err != nil {
			return nil, fmt.Errorf("holidays: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// SaveHoliday adds a closed day or renames it.
func (s *Store) SaveHoliday(ctx context.Context, h Holiday) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO holidays (day, name, updated_by, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (day) DO UPDATE SET name = excluded.name, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		h.Day, h.Name, h.UpdatedBy, sqldb.FormatInstant(s.Now()))
	if err != nil {
		return fmt.Errorf("save holiday %s: %w", h.Day, err)
	}
	return nil
}

// DeleteHoliday removes a closed day.
func (s *Store) DeleteHoliday(ctx context.Context, day string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM holidays WHERE day = ?`, day); err != nil {
		return fmt.Errorf("delete holiday %s: %w", day, err)
	}
	return nil
}
