package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// InDoubtPolicy is what the worker does with a row that a previous process
// left in flight (it died during the send): the platform may or may not
// have the message, and Telegram and Zalo have no idempotency key to ask.
// Such rows are at most Config.Concurrency per crash.
type InDoubtPolicy string

const (
	// PolicyResend sends it again: at-least-once, a duplicate when the
	// platform had it.
	PolicyResend InDoubtPolicy = "resend"
	// PolicyHold does not send it: the row is held (StatusInDoubt) until
	// staff resend or drop it (Settle).
	PolicyHold InDoubtPolicy = "hold"
)

// ParseInDoubtPolicy reads a policy name; "" is PolicyResend.
func ParseInDoubtPolicy(s string) (InDoubtPolicy, error) {
	switch p := InDoubtPolicy(s); p {
	case "":
		return PolicyResend, nil
	case PolicyResend, PolicyHold:
		return p, nil
	}
	return "", fmt.Errorf("%q is not resend or hold", s)
}

// settleLeftInFlight applies the policy to the channel's rows in flight,
// under the channel's lease l (just taken: whatever is in flight was left
// by the previous holder) except own (this process's sends still running),
// and returns how many there were.
func (o *Outbox) settleLeftInFlight(ctx context.Context, channel string, l lease.Lease, own []int64) (int, error) {
	type left struct {
		chatID, key string
		chunk       int
	}
	var rows []left
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		rows = rows[:0] // a transaction Postgres aborted for a conflict runs again
		notOwn, ownArgs := "", make([]any, len(own))
		for i, id := range own {
			notOwn += ", ?"
			ownArgs[i] = id
		}
		if notOwn != "" {
			notOwn = " AND id NOT IN (" + notOwn[2:] + ")"
		}
		rs, err := tx.QueryContext(ctx, `SELECT chat_id, update_key, chunk FROM outbox
			WHERE channel = ? AND status = ?`+notOwn+` ORDER BY id`, append([]any{channel, StatusSending}, ownArgs...)...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var l left
			if err := rs.Scan(&l.chatID, &l.key, &l.chunk); err != nil {
				return err
			}
			rows = append(rows, l)
		}
		if err := rs.Err(); err != nil || len(rows) == 0 {
			return err
		}
		status := StatusPending
		if o.cfg.InDoubt == PolicyHold {
			status = StatusInDoubt
		}
		now := o.cfg.Now()
		args := append([]any{status, sqldb.FormatInstant(now), "in doubt: in flight when the gateway stopped", channel, StatusSending},
			ownArgs...)
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, next_at = ?, last_error = ?
			WHERE channel = ? AND status = ?`+notOwn+` AND `+lease.FenceSQL, append(args, l.FenceArgs(now)...)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(rows)) {
			return errors.Join(errLeaseLost, err)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: %s: %w", channel, err)
	}
	for _, l := range rows {
		log := o.cfg.Logger.With("channel", channel, "chat_id", l.chatID, "key", l.key, "chunk", l.chunk,
			"policy", string(o.cfg.InDoubt))
		if o.cfg.InDoubt == PolicyHold {
			log.Warn("outbox: message was in flight when the gateway stopped; held for staff (hoiphuong outbox list)")
		} else {
			log.Warn("outbox: message was in flight when the gateway stopped; sending it again (it may arrive twice)")
		}
	}
	return len(rows), nil
}

// Held is a row held in doubt, for staff to resend or drop.
type Held struct {
	ID        int64
	Channel   string
	ChatID    string
	Key       string
	Chunk     int
	Text      string
	CreatedAt time.Time
	SendingAt time.Time // when the send that may or may not have arrived started
}

// HeldRows returns the rows held in doubt, oldest first.
func (o *Outbox) HeldRows(ctx context.Context) ([]Held, error) {
	leave, err := o.turn(ctx)
	if err != nil {
		return nil, fmt.Errorf("outbox: held rows: %w", err)
	}
	defer leave()
	rows, err := o.db.QueryContext(ctx, `SELECT id, channel, chat_id, update_key, chunk,
		body_json, created_at, COALESCE(sending_at, '')
		FROM outbox WHERE status = ? ORDER BY id`, StatusInDoubt)
	if err != nil {
		return nil, fmt.Errorf("outbox: held rows: %w", err)
	}
	defer rows.Close()
	var out []Held
	for rows.Next() {
		var h Held
		var body, created, sending string
		if err := rows.Scan(&h.ID, &h.Channel, &h.ChatID, &h.Key, &h.Chunk, &body, &created, &sending); err != nil {
			return nil, fmt.Errorf("outbox: held rows: %w", err)
		}
		var msg OutMessage
		if err := json.Unmarshal([]byte(body), &msg); err != nil {
			return nil, fmt.Errorf("outbox: held row %d: %w", h.ID, err)
		}
		h.Text = msg.Text
		h.CreatedAt, _ = sqldb.ParseInstant(created)
		h.SendingAt, _ = sqldb.ParseInstant(sending)
		out = append(out, h)
	}
	return out, rows.Err()
}

// ErrNotHeld is returned by Settle for a row that is not held in doubt.
var ErrNotHeld = errors.New("no message held in doubt with this id")

// Settle ends the hold of row id: resend queues it to be sent again (a
// running gateway sends it within its poll interval); otherwise it is
// marked failed.
func (o *Outbox) Settle(ctx context.Context, id int64, resend bool) error {
	leave, err := o.turn(ctx)
	if err != nil {
		return fmt.Errorf("outbox: settle %d: %w", id, err)
	}
	defer leave()
	status, cause := StatusPending, "in doubt: resent by staff"
	if !resend {
		status, cause = StatusFailed, "in doubt: dropped by staff"
	}
	res, err := o.db.ExecContext(ctx, `UPDATE outbox SET status = ?, next_at = ?, last_error = ?
		WHERE id = ? AND status = ?`, status, sqldb.FormatInstant(o.cfg.Now()), cause, id, StatusInDoubt)
	if err != nil {
		return fmt.Errorf("outbox: settle %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("outbox: settle %d: %w", id, errors.Join(ErrNotHeld, err))
	}
	return nil
}
