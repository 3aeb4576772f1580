package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/dbgate"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Inbound is one channel delivery to persist: the chat's conversation is
// found or created and the message stored, idempotent on ChannelMessageID.
type Inbound struct {
	Channel          string
	ExternalID       string // the channel's chat id
	ChannelMessageID string // the channel's update id: the dedupe key
	Message          bot.Message
}

// Accepted is the outcome of one Inbound.
type Accepted struct {
	ConversationID string
	MessageID      int64
	Duplicate      bool // the conversation already had this message: nothing written
	Err            error
}

// AcceptInbound persists a batch of channel deliveries in ONE transaction
// (group commit: one commit, one WAL append for many webhooks), in an
// urgent turn of the Gate: a webhook is waiting for it. Each delivery gets
// or creates its chat's conversation and stores the message unless it was
// stored before. When the batch's transaction fails, each delivery is
// retried in its own transaction, so one bad delivery cannot fail the
// others; the error of each outcome is its own.
func (s *Store) AcceptInbound(ctx context.Context, batch []Inbound) []Accepted {
	out := make([]Accepted, len(batch))
	valid := make([]int, 0, len(batch))
	for i, in := range batch {
		if in.Channel == "" || in.ExternalID == "" || in.ChannelMessageID == "" {
			out[i].Err = fmt.Errorf("accept inbound on %q: channel, external id and message id are required", in.Channel)
			continue
		}
		valid = append(valid, i)
	}
	if len(valid) == 0 {
		return out
	}
	err := s.acceptTx(ctx, func(st *acceptStmts) error {
		for _, i := range valid {
			a, err := s.acceptOne(ctx, st, batch[i])
			if err != nil {
				return err
			}
			out[i] = a
		}
		return nil
	})
	if err == nil {
		return out
	}
	if len(valid) == 1 {
		out[valid[0]] = Accepted{Err: fmt.Errorf("accept inbound on %s: %w", batch[valid[0]].Channel, err)}
		return out
	}
	for _, i := range valid { // isolate the failing delivery
		var a Accepted
		err := s.acceptTx(ctx, func(st *acceptStmts) error {
			var err error
			a, err = s.acceptOne(ctx, st, batch[i])
			return err
		})
		if err != nil {
			a = Accepted{Err: fmt.Errorf("accept inbound on %s: %w", batch[i].Channel, err)}
		}
		out[i] = a
	}
	return out
}

// The statements of an accept. They are prepared once (New warms them)
// and bound to each transaction: a batch runs them for every delivery, and
// parsing them for every transaction was a fifth of an accept's CPU.
const (
	findConversationSQL = `SELECT id FROM conversations WHERE channel = ? AND external_id = ?`
	insertInboundSQL    = `INSERT INTO messages
		(conversation_id, direction, text, lat, lon, channel_message_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (conversation_id, direction, channel_message_id) DO NOTHING
		RETURNING id`
	findInboundSQL = `SELECT id FROM messages
		WHERE conversation_id = ? AND direction = ? AND channel_message_id = ?`
)

// acceptStmts are the accept's statements bound to one transaction.
type acceptStmts struct {
	findConv, insConv *sql.Stmt
	insMsg, findMsg   *sql.Stmt
}

// acceptTx runs fn in one transaction in an urgent turn.
func (s *Store) acceptTx(ctx context.Context, fn func(st *acceptStmts) error) error {
	return s.Gate.Do(ctx, dbgate.Urgent, func() error {
		return sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
			st := &acceptStmts{}
			for _, p := range []struct {
				stmt  **sql.Stmt
				query string
			}{
				{&st.findConv, findConversationSQL},
				{&st.insConv, insertConversationSQL},
				{&st.insMsg, insertInboundSQL},
				{&st.findMsg, findInboundSQL},
			} {
				stmt, err := s.q.Stmt(ctx, p.query) // warmed: never prepared here
				if err != nil {
					return err
				}
				*p.stmt = tx.StmtContext(ctx, stmt)
			}
			return fn(st)
		})
	})
}

// acceptOne gets or creates the conversation and inserts the message.
func (s *Store) acceptOne(ctx context.Context, st *acceptStmts, in Inbound) (Accepted, error) {
	var a Accepted
	err := st.findConv.QueryRowContext(ctx, in.Channel, in.ExternalID).Scan(&a.ConversationID)
	if errors.Is(err, sql.ErrNoRows) {
		var created bool
		a.ConversationID, created, err = s.insertConversationWith(ctx, st.insConv, in.Channel, in.ExternalID)
		if err == nil && !created {
			err = fmt.Errorf("conversation of %s/%s vanished", in.Channel, in.ExternalID)
		}
	}
	if err != nil {
		return a, err
	}
	msg := in.Message
	at := msg.At
	if at.IsZero() {
		at = s.Now()
	}
	var lat, lon sql.NullFloat64
	if msg.Location != nil {
		lat = sql.NullFloat64{Float64: msg.Location.Lat, Valid: true}
		lon = sql.NullFloat64{Float64: msg.Location.Lon, Valid: true}
	}
	err = st.insMsg.QueryRowContext(ctx,
		a.ConversationID, DirectionIn, msg.Text, lat, lon, in.ChannelMessageID, sqldb.FormatInstant(at)).Scan(&a.MessageID)
	if !errors.Is(err, sql.ErrNoRows) {
		return a, err
	}
	a.Duplicate = true
	err = st.findMsg.QueryRowContext(ctx, a.ConversationID, DirectionIn, in.ChannelMessageID).Scan(&a.MessageID)
	return a, err
}
