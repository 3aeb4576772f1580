package staffstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// StartSession drops the sessions expired at r.CreatedAt (everyone's) and
// stores r, in one transaction.
func (s *Store) StartSession(ctx context.Context, r staff.SessionRecord) error {
	err := s.inTx(ctx, func(t *Store) error {
		if _, err := t.q.ExecContext(ctx, `DELETE FROM staff_sessions WHERE expires_at <= ?`, sqldb.FormatInstant(r.CreatedAt)); err != nil {
			return err
		}
		_, err := t.q.ExecContext(ctx, `INSERT INTO staff_sessions (token_hash, user_id, csrf, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?)`, r.TokenHash, r.UserID, r.CSRF, sqldb.FormatInstant(r.CreatedAt), sqldb.FormatInstant(r.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("staffstore: start session: %w", err)
	}
	return nil
}

// Session returns the session of the token hash, expired or not, or
// staff.ErrNoSession.
func (s *Store) Session(ctx context.Context, tokenHash string) (staff.SessionRecord, error) {
	r := staff.SessionRecord{TokenHash: tokenHash}
	var created, expires string
	err := s.q.QueryRowContext(ctx, `SELECT user_id, csrf, created_at, expires_at FROM staff_sessions WHERE token_hash = ?`,
		tokenHash).Scan(&r.UserID, &r.CSRF, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return staff.SessionRecord{}, staff.ErrNoSession
	}
	if err != nil {
		return staff.SessionRecord{}, fmt.Errorf("staffstore: session: %w", err)
	}
	if r.CreatedAt, err = sqldb.ParseInstant(created); err != nil {
		return staff.SessionRecord{}, fmt.Errorf("staffstore: session: %w", err)
	}
	if r.ExpiresAt, err = sqldb.ParseInstant(expires); err != nil {
		return staff.SessionRecord{}, fmt.Errorf("staffstore: session: %w", err)
	}
	return r, nil
}

// SlideSession moves the session's expiry to expiresAt.
func (s *Store) SlideSession(ctx context.Context, tokenHash string, expiresAt time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE staff_sessions SET expires_at = ? WHERE token_hash = ?`,
		sqldb.FormatInstant(expiresAt), tokenHash); err != nil {
		return fmt.Errorf("staffstore: slide session: %w", err)
	}
	return nil
}

// EndSession deletes the session; an unknown one is not an error.
func (s *Store) EndSession(ctx context.Context, tokenHash string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM staff_sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("staffstore: end session: %w", err)
	}
	return nil
}

// EndUserSessions deletes every session of the user.
func (s *Store) EndUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM staff_sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("staffstore: end sessions of user %d: %w", userID, err)
	}
	return nil
}
