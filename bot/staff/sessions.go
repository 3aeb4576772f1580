package staff

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// slideStep is the least extension worth a write: a session used every
// second is not rewritten every second.
const slideStep = time.Minute

// hashToken is what is stored of a session token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// startSession drops expired sessions (everyone's) and stores a new one.
func (d *Directory) startSession(ctx context.Context, id int64, now time.Time) (Session, error) {
	s := Session{Token: randomToken(), CSRF: randomToken(), ExpiresAt: now.Add(d.cfg.SessionTTL)}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE expires_at <= ?`, formatInstant(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO staff_sessions (token_hash, user_id, csrf, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?)`, hashToken(s.Token), id, s.CSRF, formatInstant(now), formatInstant(s.ExpiresAt))
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("staff: start session: %w", err)
	}
	if s.User, err = d.Get(ctx, id); err != nil {
		return Session{}, fmt.Errorf("staff: start session: %w", err)
	}
	return s, nil
}

// Session returns the live session of token and slides its expiry to
// SessionTTL from now. An unknown or expired token, or one whose user is
// disabled or gone, gives ErrNoSession.
func (d *Directory) Session(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrNoSession
	}
	now := d.now()
	h := hashToken(token)
	var (
		id      int64
		csrf    string
		expires string
	)
	err := d.db.QueryRowContext(ctx, `SELECT user_id, csrf, expires_at FROM staff_sessions WHERE token_hash = ?`, h).
		Scan(&id, &csrf, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("staff: session: %w", err)
	}
	exp, err := parseInstant(expires)
	if err != nil {
		return Session{}, fmt.Errorf("staff: session: %w", err)
	}
	if !now.Before(exp) {
		if _, err := d.db.ExecContext(ctx, `DELETE FROM staff_sessions WHERE token_hash = ?`, h); err != nil {
			return Session{}, fmt.Errorf("staff: session: drop expired: %w", err)
		}
		return Session{}, ErrNoSession
	}
	u, err := d.Get(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && u.Disabled) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("staff: session: %w", err)
	}
	if next := now.Add(d.cfg.SessionTTL); next.Sub(exp) >= slideStep {
		if _, err := d.db.ExecContext(ctx, `UPDATE staff_sessions SET expires_at = ? WHERE token_hash = ?`,
			formatInstant(next), h); err != nil {
			return Session{}, fmt.Errorf("staff: session: slide: %w", err)
		}
		exp = next
	}
	return Session{Token: token, CSRF: csrf, User: u, ExpiresAt: exp}, nil
}

// Logout ends the session of token. An unknown token is not an error.
func (d *Directory) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	if _, err := d.db.ExecContext(ctx, `DELETE FROM staff_sessions WHERE token_hash = ?`, hashToken(token)); err != nil {
		return fmt.Errorf("staff: logout: %w", err)
	}
	return nil
}
