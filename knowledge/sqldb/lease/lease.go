// Package lease decides which gateway does a piece of work that only one
// may do at a time when several share one database: send a channel's
// outbox, answer a conversation, refresh the Zalo OA's single-use token,
// run a scheduled job. A lease is a row (name, holder, epoch, expiry); its
// holder renews it, and once it has expired any gateway may take it over,
// which raises the epoch. Writes made under a lease check, in their own
// transaction, that the lease still has the epoch they were given
// (Fence): a gateway that stalled past its expiry and woke up cannot
// overwrite the work of the one that took over.
//
// The same statements run on SQLite and Postgres (INSERT … ON CONFLICT …
// RETURNING): one statement takes or renews a lease, so two gateways
// racing for it get one winner on either backend. Expiry compares the
// gateways' clocks, which must agree to well within the lease's time to
// live (NTP does).
package lease

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate creates the leases table (namespace "lease").
func Migrate(ctx context.Context, db *sql.DB) error {
	if err := sqldb.MigrateDir(ctx, db, migrations, "migrations", "lease"); err != nil {
		return fmt.Errorf("lease: %w", err)
	}
	return nil
}

// NewHolder names this process among the gateways: host, pid and a random
// part (a restarted process, or one in a container that reuses pids, is a
// new holder).
func NewHolder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "gateway"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Lease is one held lease.
type Lease struct {
	Name    string
	Holder  string
	Epoch   int64     // raised each time the lease changes hands
	Expires time.Time // renew before this
	// New is true when this acquisition began the epoch (the lease was
	// free, expired, or held by another holder): the holder must first
	// settle what a previous holder may have left half done.
	New bool
}

// Querier runs statements: a *sql.DB, a *sql.Tx or a statement cache.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// acquireSQL takes the lease when it is free or expired (the epoch goes
// up) or renews it for its holder (same epoch while it has not expired).
// A live lease of another holder is left alone: no row comes back.
const acquireSQL = `INSERT INTO leases (name, holder, epoch, expires_at, acquired_at, renewals)
	VALUES (?, ?, 1, ?, ?, 0)
	ON CONFLICT (name) DO UPDATE SET
		epoch = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > ? THEN leases.epoch ELSE leases.epoch + 1 END,
		renewals = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > ? THEN leases.renewals + 1 ELSE 0 END,
		acquired_at = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > ? THEN leases.acquired_at ELSE excluded.acquired_at END,
		holder = excluded.holder,
		expires_at = excluded.expires_at
	WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
	RETURNING epoch, renewals`

// Acquire takes or renews the lease name for holder until now+ttl. ok is
// false, with no error, when another holder's lease is live.
func Acquire(ctx context.Context, q Querier, name, holder string, now time.Time, ttl time.Duration) (l Lease, ok bool, err error) {
	if name == "" || holder == "" || ttl <= 0 {
		return Lease{}, false, errors.New("lease: acquire needs a name, a holder and a time to live")
	}
	at, until := sqldb.FormatInstant(now), sqldb.FormatInstant(now.Add(ttl))
	var renewals int64
	l = Lease{Name: name, Holder: holder, Expires: now.Add(ttl)}
	err = q.QueryRowContext(ctx, acquireSQL, name, holder, until, at, at, at, at, at).Scan(&l.Epoch, &renewals)
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, false, nil
	}
	if err != nil {
		return Lease{}, false, fmt.Errorf("lease: acquire %s: %w", name, err)
	}
	l.New = renewals == 0
	return l, true, nil
}

// Release gives the lease up at once (it expires now), when it is still
// held with l's epoch; another gateway may take it without waiting.
func Release(ctx context.Context, q Querier, l Lease, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE leases SET expires_at = ?
		WHERE name = ? AND holder = ? AND epoch = ?`, sqldb.FormatInstant(now), l.Name, l.Holder, l.Epoch)
	if err != nil {
		return fmt.Errorf("lease: release %s: %w", l.Name, err)
	}
	return nil
}

// FenceSQL is a condition that holds while the lease (name, holder, epoch)
// is live at an instant: the parameters are FenceArgs. Writes made under a
// lease add it to their WHERE clause, so that a holder that lost its lease
// changes nothing.
const FenceSQL = `EXISTS (SELECT 1 FROM leases WHERE name = ? AND holder = ? AND epoch = ? AND expires_at > ?)`

// FenceArgs are FenceSQL's parameters for l at now.
func (l Lease) FenceArgs(now time.Time) []any {
	return []any{l.Name, l.Holder, l.Epoch, sqldb.FormatInstant(now)}
}

// Held reports whether l is still live at now in the database (q may be the
// transaction of the write it guards).
func Held(ctx context.Context, q Querier, l Lease, now time.Time) (bool, error) {
	var ok bool
	if err := q.QueryRowContext(ctx, `SELECT `+FenceSQL, l.FenceArgs(now)...).Scan(&ok); err != nil {
		return false, fmt.Errorf("lease: check %s: %w", l.Name, err)
	}
	return ok, nil
}

// Claims take and give up named leases for one gateway (Keeper).
type Claims interface {
	Acquire(ctx context.Context, name string) (Lease, bool, error)
	Release(ctx context.Context, l Lease) error
}

// Keeper takes and gives up leases for one holder on one database.
type Keeper struct {
	DB     *sql.DB
	Holder string
	TTL    time.Duration    // how long a lease lasts unrenewed
	Now    func() time.Time // clock (time.Now)
}

// Acquire takes or renews the lease name (see Acquire).
func (k *Keeper) Acquire(ctx context.Context, name string) (Lease, bool, error) {
	return Acquire(ctx, k.DB, name, k.Holder, k.now(), k.TTL)
}

// Release gives l up at once (see Release).
func (k *Keeper) Release(ctx context.Context, l Lease) error {
	return Release(ctx, k.DB, l, k.now())
}

func (k *Keeper) now() time.Time {
	if k.Now == nil {
		return time.Now()
	}
	return k.Now()
}

// Hold takes the lease name for work that may outlast the lease's
// lifetime and renews it every renew until release is called (which gives
// it up). ok is false, with no error, when another holder has it. A failed
// renewal is logged: the work goes on, but another gateway may take the
// lease once it expires (renew well within the lifetime).
func Hold(ctx context.Context, c Claims, name string, renew time.Duration, logger *slog.Logger) (release func(), ok bool, err error) {
	l, ok, err := c.Acquire(ctx, name)
	if err != nil || !ok {
		return nil, ok, err
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(renew)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if _, ok, err := c.Acquire(context.WithoutCancel(ctx), name); err != nil || !ok {
				logger.Error("lease: renew", "lease", name, "held", ok, "err", err)
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := c.Release(rctx, l); err != nil {
			logger.Warn("lease: release; it expires by itself", "lease", name, "err", err)
		}
	}, true, nil
}
