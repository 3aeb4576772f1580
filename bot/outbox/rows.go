package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/dbgate"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// Row statuses. A row is pending until a send starts, sending (in flight)
// until its outcome is recorded, then sent, failed or pending again (a
// retry). A row found sending at start is in doubt (indoubt.go): pending
// again or, under PolicyHold, in_doubt until staff decide.
const (
	StatusPending = "pending"
	StatusSending = "sending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
	StatusInDoubt = "in_doubt"
)

// row is one queued chunk.
type row struct {
	id        int64
	channel   string
	chatID    string
	key       string
	chunk     int
	body      string // OutMessage as JSON, decoded when the row is sent
	attempts  int
	nextAt    string // as stored: the claim checks the row is unchanged since it was read
	createdAt time.Time
}

// The statements of insert's transaction, prepared when the Outbox is made.
const (
	keyQueuedSQL   = `SELECT COUNT(*) FROM outbox WHERE channel = ? AND update_key = ?`
	insertChunkSQL = `INSERT INTO outbox
		(channel, chat_id, update_key, chunk, body_json, status, attempts, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
		ON CONFLICT (channel, update_key, chunk) DO NOTHING`
)

// insert writes the chunks unless the key was queued before.
func (o *Outbox) insert(ctx context.Context, channel, chatID, key string, msgs []OutMessage) (bool, error) {
	added := false
	err := o.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		added, err = queue(ctx, o.q.In(tx), o.cfg.Now(), channel, chatID, key, msgs)
		return err
	})
	return added, err
}

// Execer runs statements in a transaction: a *sql.Tx, or a statement
// cache bound to one (bot/stmtcache), which runs QueueStatements prepared.
type Execer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// QueueTx writes the chunks in the caller's transaction (tx) unless the key
// was queued before: the conversation store saves an answer and its
// rendering for the channel in one transaction. Call Kick once tx has
// committed.
func QueueTx(ctx context.Context, tx Execer, now time.Time, channel, chatID, key string, msgs []OutMessage) (bool, error) {
	if channel == "" || chatID == "" || key == "" {
		return false, errors.New("outbox: queue needs a channel, a chat id and a key")
	}
	added, err := queue(ctx, tx, now, channel, chatID, key, msgs)
	if err != nil {
		return false, fmt.Errorf("outbox: queue %s: %w", key, err)
	}
	return added, nil
}

// QueueStatements are the statements of QueueTx, for the caller's
// statement cache to prepare once (parsing them is most of their cost).
func QueueStatements() []string { return []string{keyQueuedSQL, insertChunkSQL} }

func queue(ctx context.Context, q Execer, at time.Time, channel, chatID, key string, msgs []OutMessage) (bool, error) {
	now := sqldb.FormatInstant(at)
	var n int
	if err := q.QueryRowContext(ctx, keyQueuedSQL, channel, key).Scan(&n); err != nil || n > 0 {
		return false, err
	}
	added := false
	for i, m := range msgs {
		body, err := json.Marshal(m)
		if err != nil {
			return false, fmt.Errorf("encode chunk %d: %w", i, err)
		}
		res, err := q.ExecContext(ctx, insertChunkSQL,
			channel, chatID, key, i, string(body), StatusPending, now, now)
		if err != nil {
			return false, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added = true
		}
	}
	return added, nil
}

// due returns the head (oldest pending row) of each chat of the channels
// whose next attempt is due at now, soonest first.
func (o *Outbox) due(ctx context.Context, channels []string, now time.Time, limit int) ([]row, error) {
	if len(channels) == 0 {
		return nil, nil
	}
	leave, err := o.turn(ctx)
	if err != nil {
		return nil, fmt.Errorf("outbox: due rows: %w", err)
	}
	defer leave()
	o.dueReads.Add(1)
	args := []any{StatusPending, sqldb.FormatInstant(now)}
	for _, c := range channels {
		args = append(args, c)
	}
	args = append(args, StatusPending, StatusSending, limit)
	rows, err := o.q.QueryContext(ctx, `SELECT o.id, o.channel, o.chat_id, o.update_key, o.chunk,
		o.body_json, o.attempts, o.next_at, o.created_at
		FROM outbox o
		WHERE o.status = ? AND o.next_at <= ? AND o.channel IN (?`+strings.Repeat(", ?", len(channels)-1)+`)
		  AND o.id = (SELECT MIN(p.id) FROM outbox p
		              WHERE p.status IN (?, ?) AND p.channel = o.channel AND p.chat_id = o.chat_id)
		ORDER BY o.next_at, o.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("outbox: due rows: %w", err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		var body, created string // body is decoded only for the rows sent
		if err := rows.Scan(&r.id, &r.channel, &r.chatID, &r.key, &r.chunk, &body, &r.attempts, &r.nextAt, &created); err != nil {
			return nil, fmt.Errorf("outbox: due rows: %w", err)
		}
		r.body = body
		if r.createdAt, err = sqldb.ParseInstant(created); err != nil {
			return nil, fmt.Errorf("outbox: row %d: %w", r.id, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox: due rows: %w", err)
	}
	return out, nil
}

// nextDue is when the earliest pending row not yet due at now becomes due
// (zero: none).
func (o *Outbox) nextDue(ctx context.Context, now time.Time) (time.Time, error) {
	leave, err := o.turn(ctx)
	if err != nil {
		return time.Time{}, err
	}
	defer leave()
	var next sql.NullString
	if err := o.q.QueryRowContext(ctx, `SELECT MIN(next_at) FROM outbox WHERE status = ? AND next_at > ?`,
		StatusPending, sqldb.FormatInstant(now)).Scan(&next); err != nil || !next.Valid {
		return time.Time{}, err
	}
	return sqldb.ParseInstant(next.String)
}

// claimSQL marks a row in flight (sending) when it is still pending and
// unchanged since it was read, and its channel's lease is still held.
const claimSQL = `UPDATE outbox SET status = ?, sending_at = ?
	WHERE id = ? AND status = ? AND next_at = ? AND ` + lease.FenceSQL

// claimAll marks rows in flight before their sends start, all in one
// transaction (one commit for a dispatch round, not one per send);
// claimed[i] is false for a row that is no longer pending as read (its send
// ended since the read), or whose channel's lease was lost: it must not be
// sent.
func (o *Outbox) claimAll(ctx context.Context, rows []row, leases map[string]lease.Lease, at time.Time) (claimed []bool, err error) {
	claimed = make([]bool, len(rows))
	err = o.inTx(ctx, func(tx *sql.Tx) error {
		q := o.q.In(tx)
		for i, r := range rows {
			args := append([]any{StatusSending, sqldb.FormatInstant(at), r.id, StatusPending, r.nextAt},
				leases[r.channel].FenceArgs(at)...)
			res, err := q.ExecContext(ctx, claimSQL, args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			claimed[i] = n == 1
		}
		return nil
	})
	return claimed, err
}

// A send's outcome, recorded with the outcomes of the sends that ended
// meanwhile in one transaction (bot/groupcommit): under load a commit per
// send was most of the outbox's writes.
type outcome struct {
	id       int64
	status   string // StatusSent, StatusPending (a retry at next) or StatusFailed
	attempts int
	at       time.Time // sent at, or the retry's next attempt
	cause    string
}

// The statements recording outcomes, prepared once.
const (
	markSentSQL   = `UPDATE outbox SET status = ?, sent_at = ?, last_error = NULL WHERE id = ?`
	markRetrySQL  = `UPDATE outbox SET status = ?, attempts = ?, next_at = ?, last_error = ? WHERE id = ?`
	markFailedSQL = `UPDATE outbox SET status = ?, attempts = ?, last_error = ? WHERE id = ?`
)

func (o *Outbox) markSent(ctx context.Context, id int64, at time.Time) error {
	return o.outcomes.Do(ctx, outcome{id: id, status: StatusSent, at: at})
}

func (o *Outbox) markRetry(ctx context.Context, id int64, attempts int, next time.Time, cause string) error {
	return o.outcomes.Do(ctx, outcome{id: id, status: StatusPending, attempts: attempts, at: next, cause: cause})
}

func (o *Outbox) markFailed(ctx context.Context, id int64, attempts int, cause string) error {
	return o.outcomes.Do(ctx, outcome{id: id, status: StatusFailed, attempts: attempts, cause: cause})
}

// writeOutcomes records a round of outcomes in one transaction. When it
// fails, each is tried alone, so that one row's failure is its own.
func (o *Outbox) writeOutcomes(ctx context.Context, batch []outcome) []error {
	errs := make([]error, len(batch))
	err := o.inTx(ctx, func(tx *sql.Tx) error { return o.writeEach(ctx, tx, batch) })
	if err == nil || len(batch) == 1 {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	for i := range batch {
		errs[i] = o.inTx(ctx, func(tx *sql.Tx) error { return o.writeEach(ctx, tx, batch[i:i+1]) })
	}
	return errs
}

func (o *Outbox) writeEach(ctx context.Context, tx *sql.Tx, batch []outcome) error {
	q := o.q.In(tx)
	for _, c := range batch {
		var err error
		switch c.status {
		case StatusSent:
			_, err = q.ExecContext(ctx, markSentSQL, StatusSent, sqldb.FormatInstant(c.at), c.id)
		case StatusPending:
			_, err = q.ExecContext(ctx, markRetrySQL, StatusPending, c.attempts, sqldb.FormatInstant(c.at), c.cause, c.id)
		default:
			_, err = q.ExecContext(ctx, markFailedSQL, StatusFailed, c.attempts, c.cause, c.id)
		}
		if err != nil {
			return fmt.Errorf("row %d: %w", c.id, err)
		}
	}
	return nil
}

// prune deletes sent and failed rows created before before. Rows held in
// doubt stay until staff settle them.
func (o *Outbox) prune(ctx context.Context, before time.Time) (int64, error) {
	leave, err := o.turn(ctx)
	if err != nil {
		return 0, fmt.Errorf("outbox: prune: %w", err)
	}
	defer leave()
	res, err := o.db.ExecContext(ctx, `DELETE FROM outbox WHERE status IN (?, ?) AND created_at < ?`,
		StatusSent, StatusFailed, sqldb.FormatInstant(before))
	if err != nil {
		return 0, fmt.Errorf("outbox: prune: %w", err)
	}
	return res.RowsAffected()
}

// Depth is a channel's queue.
type Depth struct {
	Pending int           // rows waiting to be sent or in flight
	Lag     time.Duration // age of the oldest of them
	Held    int           // rows held in doubt for staff (PolicyHold)
}

// Depths returns the queue of every channel that has rows pending, in
// flight or held.
func (o *Outbox) Depths(ctx context.Context) (map[string]Depth, error) {
	leave, err := o.turn(ctx)
	if err != nil {
		return nil, fmt.Errorf("outbox: depths: %w", err)
	}
	defer leave()
	rows, err := o.db.QueryContext(ctx, `SELECT channel, status, COUNT(*), MIN(created_at) FROM outbox
		WHERE status IN (?, ?, ?) GROUP BY channel, status`,
		StatusInDoubt, StatusPending, StatusSending)
	if err != nil {
		return nil, fmt.Errorf("outbox: depths: %w", err)
	}
	defer rows.Close()
	now := o.cfg.Now()
	out := map[string]Depth{}
	for rows.Next() {
		var ch, status, oldest string
		var n int
		if err := rows.Scan(&ch, &status, &n, &oldest); err != nil {
			return nil, fmt.Errorf("outbox: depths: %w", err)
		}
		d := out[ch]
		if status == StatusInDoubt {
			d.Held = n
		} else { // pending or in flight: waiting to be delivered
			d.Pending += n
			if t, err := sqldb.ParseInstant(oldest); err == nil && now.After(t) {
				d.Lag = max(d.Lag, now.Sub(t))
			}
		}
		out[ch] = d
	}
	return out, rows.Err()
}

// Delivered is one row as tests and operators see it.
type Delivered struct {
	Key      string
	Chunk    int
	ChatID   string
	Status   string
	Attempts int
	Message  OutMessage
}

// Rows returns the channel's rows in queue order (for tests and tools).
func (o *Outbox) Rows(ctx context.Context, channel string) ([]Delivered, error) {
	leave, err := o.turn(ctx)
	if err != nil {
		return nil, fmt.Errorf("outbox: rows: %w", err)
	}
	defer leave()
	rows, err := o.db.QueryContext(ctx, `SELECT update_key, chunk, chat_id, status, attempts, body_json
		FROM outbox WHERE channel = ? ORDER BY id`, channel)
	if err != nil {
		return nil, fmt.Errorf("outbox: rows: %w", err)
	}
	defer rows.Close()
	var out []Delivered
	for rows.Next() {
		var d Delivered
		var body string
		if err := rows.Scan(&d.Key, &d.Chunk, &d.ChatID, &d.Status, &d.Attempts, &body); err != nil {
			return nil, fmt.Errorf("outbox: rows: %w", err)
		}
		if err := json.Unmarshal([]byte(body), &d.Message); err != nil {
			return nil, fmt.Errorf("outbox: rows: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// inTx runs fn in one transaction (sqldb.InTx on the outbox's
// db) in a background turn.
func (o *Outbox) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return o.cfg.Gate.Do(ctx, dbgate.Background, func() error {
		return sqldb.InTx(ctx, o.db, nil, fn)
	})
}

// turn waits for a background turn on the connection; call the returned
// function when the statement is done (rows closed).
func (o *Outbox) turn(ctx context.Context) (leave func(), err error) {
	return o.cfg.Gate.Enter(ctx, dbgate.Background)
}
