package staff

import (
	"context"
	"crypto/sha256"
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
	err := d.store.StartSession(ctx, SessionRecord{
		TokenHash: hashToken(s.Token), UserID: id, CSRF: s.CSRF, CreatedAt: now, ExpiresAt: s.ExpiresAt,
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
	rec, err := d.store.Session(ctx, h)
	if errors.Is(err, ErrNoSession) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("staff: session: %w", err)
	}
	exp := rec.ExpiresAt
	if !now.Before(exp) {
		if err := d.store.EndSession(ctx, h); err != nil {
			return Session{}, fmt.Errorf("staff: session: drop expired: %w", err)
		}
		return Session{}, ErrNoSession
	}
	u, err := d.Get(ctx, rec.UserID)
	if errors.Is(err, ErrNotFound) || (err == nil && u.Disabled) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("staff: session: %w", err)
	}
	if next := now.Add(d.cfg.SessionTTL); next.Sub(exp) >= slideStep {
		if err := d.store.SlideSession(ctx, h, next); err != nil {
			return Session{}, fmt.Errorf("staff: session: slide: %w", err)
		}
		exp = next
	}
	return Session{Token: token, CSRF: rec.CSRF, User: u, ExpiresAt: exp}, nil
}

// Logout ends the session of token. An unknown token is not an error.
func (d *Directory) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	if err := d.store.EndSession(ctx, hashToken(token)); err != nil {
		return fmt.Errorf("staff: logout: %w", err)
	}
	return nil
}
