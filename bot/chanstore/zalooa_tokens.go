package chanstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Tokens is an OA's token pair.
type Tokens struct {
	Access    string
	Refresh   string
	ExpiresAt time.Time // zero: unknown
}

// LoadTokens returns the app's stored pair; ok is false when there is none.
func (s *ZaloOA) LoadTokens(ctx context.Context, appID string) (t Tokens, ok bool, err error) {
	var exp sql.NullString
	err = s.db.QueryRowContext(ctx, `SELECT access_token, refresh_token, expires_at FROM zalooa_tokens WHERE app_id = ?`,
		appID).Scan(&t.Access, &t.Refresh, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return Tokens{}, false, nil
	}
	if err != nil {
		return Tokens{}, false, fmt.Errorf("chanstore: load tokens: %w", err)
	}
	if exp.Valid {
		t.ExpiresAt, _ = time.Parse(time.RFC3339, exp.String) // unreadable: unknown
	}
	return t, true, nil
}

// SaveTokens replaces the app's pair in one transaction: either both new
// tokens are durable or neither is.
func (s *ZaloOA) SaveTokens(ctx context.Context, appID string, t Tokens, at time.Time) error {
	var exp any
	if !t.ExpiresAt.IsZero() {
		exp = t.ExpiresAt.UTC().Format(time.RFC3339)
	}
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO zalooa_tokens (app_id, access_token, refresh_token, expires_at, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (app_id) DO UPDATE SET access_token = excluded.access_token,
			refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
			appID, t.Access, t.Refresh, exp, at.UTC().Format(time.RFC3339))
		return err
	})
	if err != nil {
		return fmt.Errorf("chanstore: save tokens: %w", err)
	}
	return nil
}
