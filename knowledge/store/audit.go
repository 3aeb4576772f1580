package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// AuditEntry is one change or publish: who, when, what, before and after
// (JSON of the record, empty when there is none).
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`    // create, update, delete, import, discard, publish, rollback, …
	Entity   string    `json:"entity"`    // procedure, office, service_point, curated_answer, synonym, draft, version, …
	EntityID string    `json:"entity_id"` // id, unit code, phrase or version number
	Summary  string    `json:"summary"`   // Vietnamese, for the list
	Before   string    `json:"before"`
	After    string    `json:"after"`
}

// AuditQuery filters the audit log: Text is searched in the summary,
// entity id and actor; zero fields do not filter. Limit defaults to 100.
type AuditQuery struct {
	Text, Actor, Action string
	From, To            time.Time // From ≤ at < To
	Limit, Offset       int
}

func insertAudit(ctx context.Context, tx *sql.Tx, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor, action, entity, entity_id, summary, before_json, after_json)
		SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM audit_log`,
		sqldb.FormatInstant(e.At), e.Actor, e.Action, e.Entity, e.EntityID, e.Summary, e.Before, e.After)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// Record adds an entry for an action taken outside the store (an
// unanswered-question group marked done, …). At defaults to now.
func (s *Store) Record(ctx context.Context, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.Now()
	}
	return sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error { return insertAudit(ctx, tx, e) })
}

// Audit lists entries, newest first.
func (s *Store) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	var where []string
	var args []any
	if q.Text != "" {
		like := "%" + strings.ToLower(q.Text) + "%"
		where = append(where, `(LOWER(summary) LIKE ? OR LOWER(entity_id) LIKE ? OR LOWER(actor) LIKE ?)`)
		args = append(args, like, like, like)
	}
	if q.Actor != "" {
		where = append(where, `actor = ?`)
		args = append(args, q.Actor)
	}
	if q.Action != "" {
		where = append(where, `action = ?`)
		args = append(args, q.Action)
	}
	if !q.From.IsZero() {
		where = append(where, `at >= ?`)
		args = append(args, sqldb.FormatInstant(q.From))
	}
	if !q.To.IsZero() {
		where = append(where, `at < ?`)
		args = append(args, sqldb.FormatInstant(q.To))
	}
	query := `SELECT id, at, actor, action, entity, entity_id, summary, before_json, after_json FROM audit_log`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	query += ` ORDER BY id DESC LIMIT ? OFFSET ?`
	args = append(args, q.Limit, max(q.Offset, 0))
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Summary, &e.Before, &e.After); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		if e.At, err = sqldb.ParseInstant(at); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return out, nil
}

// jsonOf is v as JSON for an audit entry, "" for nil.
func jsonOf(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
