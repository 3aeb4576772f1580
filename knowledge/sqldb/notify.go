package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notify sends payload on a Postgres notification channel: every gateway
// listening there (Listen) receives it once the sending transaction (none
// here: at once) commits. Notifications are a signal, not a record: the
// database stays the truth, and a listener that was disconnected catches
// up from it.
func Notify(ctx context.Context, db *sql.DB, channel, payload string) error {
	if _, err := db.ExecContext(ctx, `SELECT pg_notify(?, ?)`, channel, payload); err != nil {
		return fmt.Errorf("sqldb: notify %s: %w", channel, err)
	}
	return nil
}

// Listen receives the notifications of the channels on a connection of its
// own to url and hands each to fn, until ctx is done. A lost connection is
// opened again (after a pause); connected is called each time the
// listening starts, so that the caller catches up on what it may have
// missed meanwhile.
func Listen(ctx context.Context, url string, channels []string, logger *slog.Logger, connected func(), fn func(channel, payload string)) {
	const pause = time.Second
	for ctx.Err() == nil {
		err := listenOnce(ctx, url, channels, connected, fn)
		if ctx.Err() != nil {
			return
		}
		logger.Warn("postgres notifications: connection lost, reconnecting", "err", err, "in", pause)
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func listenOnce(ctx context.Context, url string, channels []string, connected func(), fn func(channel, payload string)) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, ch := range channels {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	if connected != nil {
		connected()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		fn(n.Channel, n.Payload)
	}
}
