package staff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// perClientFactor is how many more wrong passwords a client address may
// send, across usernames, than to one username.
const perClientFactor = 4

// maxLock bounds the doubling of successive locks.
const maxLock = 24 * time.Hour

// Login is LoginFrom with no client address (the command line).
func (d *Directory) Login(ctx context.Context, username, password string) (Session, error) {
	return d.LoginFrom(ctx, username, password, "")
}

// LoginFrom checks a username and password sent from a client address and
// starts a session.
//
// A wrong password, an unknown username and a disabled user all give
// ErrBadCredentials, and an unknown username is checked against a dummy
// hash so it takes as long as a wrong password; unknown usernames are
// counted and locked like known ones, so the answers never tell which
// usernames exist.
//
// Attempts are counted before the password is checked, in one
// transaction, per username and client address (MaxFailures) and per
// client address alone (4 × MaxFailures): parallel guesses past the limit
// are refused without a check. The attempt that reaches a limit with a
// wrong password locks for LockFor, doubling with each lock in a row (up
// to a day); while locked every login gives a *LockedError (errors.Is
// ErrLocked), even with the right password. Another client's guesses never
// lock this one out. A successful login clears the username's count.
func (d *Directory) LoginFrom(ctx context.Context, username, password, client string) (Session, error) {
	username = normalizeUsername(username)
	now := d.now()
	keys := []attemptKey{
		{key: userAttempts(username) + client, max: d.cfg.MaxFailures},
		{key: "client:" + client, max: perClientFactor * d.cfg.MaxFailures},
	}
	reached, err := d.reserve(ctx, keys, now)
	if err != nil {
		return Session{}, err
	}
	cred, err := d.store.Credentials(ctx, username)
	switch {
	case errors.Is(err, ErrNotFound):
		_ = bcrypt.CompareHashAndPassword(d.dummyHash, []byte(password)) // equalise timing
		return Session{}, d.failed(ctx, keys, reached, now)
	case err != nil:
		return Session{}, fmt.Errorf("staff: login: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(cred.PasswordHash), []byte(password)) != nil || cred.Disabled {
		return Session{}, d.failed(ctx, keys, reached, now)
	}
	if err := d.succeeded(ctx, keys); err != nil {
		return Session{}, err
	}
	return d.startSession(ctx, cred.UserID, now)
}

// userAttempts is the prefix of the attempt keys of a username, one per
// client address.
func userAttempts(username string) string { return "user:" + username + "|" }

// attemptKey is one counter of login attempts and its limit.
type attemptKey struct {
	key string
	max int
}

// reserve counts an attempt on every key before the password is checked.
// It refuses (a *LockedError, or ErrLocked while a lock is being set) when
// a key is locked or its limit is already used up by attempts in flight,
// and returns the keys this attempt brings to their limit.
func (d *Directory) reserve(ctx context.Context, keys []attemptKey, now time.Time) ([]bool, error) {
	reached := make([]bool, len(keys))
	var refused error
	err := d.store.InTx(ctx, func(s Store) error {
		for i, k := range keys {
			failures, until, err := s.Attempt(ctx, k.key)
			if err != nil {
				return err
			}
			if !until.IsZero() {
				if now.Before(until) {
					refused = &LockedError{Until: until}
					return nil
				}
				failures = 0 // the lock is over: a fresh count
			}
			if failures >= k.max {
				refused = ErrLocked // the limit is used up by attempts not yet checked
				return nil
			}
			reached[i] = failures+1 >= k.max
			if err := s.SetFailures(ctx, k.key, failures+1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("staff: login: count attempt: %w", err)
	}
	return reached, refused
}

// failed locks the keys this wrong attempt brought to their limit, for
// LockFor doubled by each lock in a row. It returns the error Login gives.
func (d *Directory) failed(ctx context.Context, keys []attemptKey, reached []bool, now time.Time) error {
	var until time.Time
	err := d.store.InTx(ctx, func(s Store) error {
		for i, k := range keys {
			if !reached[i] {
				continue
			}
			locks, err := s.AddLock(ctx, k.key)
			if err != nil {
				return err
			}
			lockFor := d.cfg.LockFor << min(locks-1, 10)
			lockFor = min(lockFor, maxLock)
			u := now.Add(lockFor)
			if err := s.LockUntil(ctx, k.key, u); err != nil {
				return err
			}
			if u.After(until) {
				until = u
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("staff: login: count failure: %w", err)
	}
	if !until.IsZero() {
		return &LockedError{Until: until}
	}
	return ErrBadCredentials
}

// succeeded clears the username's count and locks, and takes this attempt
// off the client's count.
func (d *Directory) succeeded(ctx context.Context, keys []attemptKey) error {
	err := d.store.InTx(ctx, func(s Store) error {
		if err := s.ClearAttempt(ctx, keys[0].key); err != nil {
			return err
		}
		return s.ForgiveFailure(ctx, keys[1].key)
	})
	if err != nil {
		return fmt.Errorf("staff: login: clear attempts: %w", err)
	}
	return nil
}
