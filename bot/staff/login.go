package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Login checks a username and password and starts a session.
//
// A wrong password, an unknown username and a disabled user all give
// ErrBadCredentials, and an unknown username is checked against a dummy
// hash so it takes as long as a wrong password. MaxFailures wrong passwords
// in a row lock the account for LockFor: the failure that reaches the limit
// and every login until the lock ends give a *LockedError (errors.Is
// ErrLocked), even with the right password. A successful login clears the
// failure count.
func (d *Directory) Login(ctx context.Context, username, password string) (Session, error) {
	username = normalizeUsername(username)
	now := d.now()
	var (
		id       int64
		hash     string
		disabled bool
		locked   sql.NullString
	)
	err := d.db.QueryRowContext(ctx, `SELECT id, password_hash, disabled, locked_until
		FROM staff_users WHERE username = ?`, username).Scan(&id, &hash, &disabled, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		_ = bcrypt.CompareHashAndPassword(d.dummyHash, []byte(password)) // equalise timing
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, fmt.Errorf("staff: login: %w", err)
	}
	if locked.Valid {
		until, err := parseInstant(locked.String)
		if err != nil {
			return Session{}, fmt.Errorf("staff: login: %w", err)
		}
		if now.Before(until) {
			return Session{}, &LockedError{Until: until}
		}
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		if disabled {
			return Session{}, ErrBadCredentials
		}
		return Session{}, d.fail(ctx, id, now)
	}
	if disabled {
		return Session{}, ErrBadCredentials
	}
	return d.startSession(ctx, id, now)
}

// fail counts a wrong password and locks the account when the count
// reaches MaxFailures. It returns the error Login gives.
func (d *Directory) fail(ctx context.Context, id int64, now time.Time) error {
	var until time.Time
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE staff_users SET failed_logins = failed_logins + 1
			WHERE id = ? RETURNING failed_logins`, id).Scan(&n); err != nil {
			return err
		}
		if n < d.cfg.MaxFailures {
			return nil
		}
		until = now.Add(d.cfg.LockFor)
		_, err := tx.ExecContext(ctx, `UPDATE staff_users SET failed_logins = 0, locked_until = ? WHERE id = ?`,
			formatInstant(until), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("staff: login: count failure: %w", err)
	}
	if !until.IsZero() {
		return &LockedError{Until: until}
	}
	return ErrBadCredentials
}
