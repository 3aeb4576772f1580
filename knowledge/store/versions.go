package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// VersionInfo describes one saved KB version.
type VersionInfo struct {
	Version   int       `json:"version"`
	AsOf      time.Time `json:"as_of"`
	CreatedAt time.Time `json:"created_at"`
	Author    string    `json:"author"`
	Changelog string    `json:"changelog"`
	Status    string    `json:"status"`
}

// Version numbers. Published (and archived) versions are numbered 1, 2,
// 3 … with no gap: each takes one past the highest positive number, so
// publish, rollback, publish after version 1 give 2, 3 and 4. The shared
// draft is stored as a version too (a full copy being edited) but under a
// negative number (-1, or one below the lowest negative), so a draft —
// discarded, published or still open — never takes a number editors see.
// A draft created before this rule kept a positive number: publishing
// such a draft skips that one number, once. Each number is chosen by the
// INSERT statement itself, and the caller's transaction holds SQLite's
// write lock (_txlock=immediate), so concurrent savers get distinct
// numbers.
const (
	sqlInsertPublished = `INSERT INTO kb_versions (version, as_of, created_at, author, changelog, status)
		SELECT COALESCE(MAX(version), 0) + 1, ?, ?, ?, ?, ? FROM kb_versions WHERE version > 0
		RETURNING version`
	sqlInsertDraft = `INSERT INTO kb_versions (version, as_of, created_at, author, changelog, status)
		SELECT COALESCE(MIN(version), 0) - 1, ?, ?, ?, ?, ? FROM kb_versions WHERE version < 0
		RETURNING version`
)

// insertVersion records a new version and returns its number: a draft's
// is negative, any other one past the highest published number.
func insertVersion(ctx context.Context, tx *sql.Tx, v VersionInfo) (int, error) {
	query := sqlInsertPublished
	if v.Status == StatusDraft {
		query = sqlInsertDraft
	}
	var version int
	err := tx.QueryRowContext(ctx, query,
		formatDate(v.AsOf), sqldb.FormatInstant(v.CreatedAt), v.Author, v.Changelog, v.Status).Scan(&version)
	return version, err
}

// Versions lists every saved version, newest first.
func (s *Store) Versions(ctx context.Context) ([]VersionInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, as_of, created_at, author, changelog, status
		FROM kb_versions ORDER BY version DESC`)
	if err != nil {
		return nil, fmt.Errorf("kb versions: %w", err)
	}
	defer rows.Close()
	var out []VersionInfo
	for rows.Next() {
		var v VersionInfo
		var asOf sql.NullString
		var created string
		if err := rows.Scan(&v.Version, &asOf, &created, &v.Author, &v.Changelog, &v.Status); err != nil {
			return nil, fmt.Errorf("kb versions: %w", err)
		}
		if v.AsOf, err = parseDate(asOf); err != nil {
			return nil, fmt.Errorf("kb version %d: %w", v.Version, err)
		}
		if v.CreatedAt, err = sqldb.ParseInstant(created); err != nil {
			return nil, fmt.Errorf("kb version %d: %w", v.Version, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("kb versions: %w", err)
	}
	return out, nil
}

// latestPublished returns the highest published version number.
func latestPublished(ctx context.Context, tx *sql.Tx) (int, error) {
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx,
		`SELECT MAX(version) FROM kb_versions WHERE status = ?`, StatusPublished).Scan(&v); err != nil {
		return 0, err
	}
	if !v.Valid {
		return 0, ErrNoVersion
	}
	return int(v.Int64), nil
}

// versionAsOf returns a version's as-of date, ErrNoVersion if it does not exist.
func versionAsOf(ctx context.Context, tx *sql.Tx, version int) (time.Time, error) {
	var asOf sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT as_of FROM kb_versions WHERE version = ?`, version).Scan(&asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, ErrNoVersion
	}
	if err != nil {
		return time.Time{}, err
	}
	return parseDate(asOf)
}

// SetStatus changes a version's status (draft, published or archived).
// Archiving the newest published version rolls Latest back to the one before.
func (s *Store) SetStatus(ctx context.Context, version int, status string) error {
	switch status {
	case StatusDraft, StatusPublished, StatusArchived:
	default:
		return fmt.Errorf("kb version %d: unknown status %q", version, status)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE kb_versions SET status = ? WHERE version = ?`, status, version)
	if err != nil {
		return fmt.Errorf("kb version %d: set status: %w", version, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("kb version %d: set status: %w", version, err)
	} else if n == 0 {
		return fmt.Errorf("kb version %d: %w", version, ErrNoVersion)
	}
	return nil
}
