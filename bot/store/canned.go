package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Canned is a prepared reply staff of a unit can send in one tap.
type Canned struct {
	ID        int64     `json:"id"`
	UnitCode  string    `json:"unit_code"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// CannedReplies returns the units' canned replies, by title.
func (s *Store) CannedReplies(ctx context.Context, units []string) ([]Canned, error) {
	if len(units) == 0 {
		return nil, nil
	}
	args := make([]any, len(units))
	for i, u := range units {
		args[i] = u
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, unit_code, title, text, created_by, created_at
		FROM canned_replies WHERE unit_code IN (`+placeholders(len(units))+`) ORDER BY title, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("canned replies: %w", err)
	}
	defer rows.Close()
	var out []Canned
	for rows.Next() {
		var c Canned
		var at string
		if err := rows.Scan(&c.ID, &c.UnitCode, &c.Title, &c.Text, &c.CreatedBy, &at); err != nil {
			return nil, fmt.Errorf("canned replies: %w", err)
		}
		if c.CreatedAt, err = sqldb.ParseInstant(at); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddCanned stores a canned reply for a unit.
func (s *Store) AddCanned(ctx context.Context, c Canned) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO canned_replies (unit_code, title, text, created_by, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, c.UnitCode, c.Title, c.Text, c.CreatedBy, sqldb.FormatInstant(s.Now())).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add canned reply: %w", err)
	}
	return id, nil
}

// CannedByID returns one canned reply; ErrNoCanned when unknown.
func (s *Store) CannedByID(ctx context.Context, id int64) (Canned, error) {
	var c Canned
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT id, unit_code, title, text, created_by, created_at
		FROM canned_replies WHERE id = ?`, id).Scan(&c.ID, &c.UnitCode, &c.Title, &c.Text, &c.CreatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNoCanned
	}
	if err != nil {
		return c, fmt.Errorf("canned reply %d: %w", id, err)
	}
	c.CreatedAt, err = sqldb.ParseInstant(at)
	return c, err
}

// ErrNoCanned is returned for an unknown canned reply.
var ErrNoCanned = errors.New("no such canned reply")

// DeleteCanned removes a canned reply.
func (s *Store) DeleteCanned(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM canned_replies WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete canned reply %d: %w", id, err)
	}
	return nil
}

// UnitSettings are a unit's console settings as stored.
type UnitSettings struct {
	UnitCode   string
	HoursJSON  string
	SLASeconds int
	AlertChat  string // a Telegram group told of new and overdue chats ("": none)
	UpdatedBy  string
	UpdatedAt  time.Time
}

// UnitSettingsOf returns the unit's stored settings (ok=false: defaults apply).
func (s *Store) UnitSettingsOf(ctx context.Context, unit string) (UnitSettings, bool, error) {
	u := UnitSettings{UnitCode: unit}
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT hours_json, sla_seconds, alert_chat, updated_by, updated_at
		FROM unit_settings WHERE unit_code = ?`, unit).Scan(&u.HoursJSON, &u.SLASeconds, &u.AlertChat, &u.UpdatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return u, false, nil
	}
	if err != nil {
		return u, false, fmt.Errorf("settings of %s: %w", unit, err)
	}
	u.UpdatedAt, err = sqldb.ParseInstant(at)
	return u, err == nil, err
}

// SaveUnitSettings stores a unit's settings.
func (s *Store) SaveUnitSettings(ctx context.Context, u UnitSettings) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO unit_settings (unit_code, hours_json, sla_seconds, alert_chat, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit_code) DO UPDATE SET hours_json = excluded.hours_json,
		sla_seconds = excluded.sla_seconds, alert_chat = excluded.alert_chat, updated_by = excluded.updated_by,
		updated_at = excluded.updated_at`,
		u.UnitCode, u.HoursJSON, u.SLASeconds, u.AlertChat, u.UpdatedBy, sqldb.FormatInstant(s.Now()))
	if err != nil {
		return fmt.Errorf("save settings of %s: %w", u.UnitCode, err)
	}
	return nil
}
