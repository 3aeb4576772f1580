package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// SaveReply stores, in one transaction, the engine's answer to the inbound
// message inboundID (0: not a reply), the conversation's new state and its
// updated_at (a handoff is opened apart, by OpenHandoff, before the answer
// that names its ticket). Unknown conversation: bot.ErrNotFound.
func (s *Store) SaveReply(ctx context.Context, id string, inboundID int64, a bot.Answer, st bot.State) error {
	return s.replies.Do(ctx, reply{id: id, inboundID: inboundID, answer: a, state: st})
}

// SaveReplyQueued is SaveReply that also queues out (the answer rendered
// for its channel) in the outbox, in the same transaction: the reply is
// stored with its delivery or not at all. The caller kicks the outbox.
func (s *Store) SaveReplyQueued(ctx context.Context, id string, inboundID int64, a bot.Answer, st bot.State, out bot.Outgoing) error {
	// Prepared once (a no-op after the first call); the outbox's table
	// exists by the time a channel answers.
	if err := s.q.Warm(ctx, outbox.QueueStatements()...); err != nil {
		return fmt.Errorf("save reply to %s: %w", id, err)
	}
	return s.replies.Do(ctx, reply{id: id, inboundID: inboundID, answer: a, state: st, out: &out})
}

// reply is one SaveReply or SaveReplyQueued.
type reply struct {
	id        string
	inboundID int64
	answer    bot.Answer
	state     bot.State
	out       *bot.Outgoing // nil: not queued
}

// maxReplies is the most replies saved in one transaction.
const maxReplies = 64

// saveReplies saves concurrent replies together, in ONE transaction (group
// commit, as AcceptInbound): the answering workers' replies share the
// last pages of the tables and indexes they append to, and a reply alone
// wrote a dozen WAL frames, with two system calls each, for a quarter of
// the gateway's CPU under load. When the batch's transaction fails, each
// reply is saved in its own, so that one failing reply (bot.ErrAnswered)
// cannot fail the others; the error of each is its own.
func (s *Store) saveReplies(ctx context.Context, batch []reply) []error {
	errs := make([]error, len(batch))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range batch {
			if err := s.saveReply(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(batch) == 1 {
		for i, r := range batch {
			errs[i] = replyErr(r, err)
		}
		return errs
	}
	for i, r := range batch {
		errs[i] = replyErr(r, s.inTx(ctx, func(tx *sql.Tx) error { return s.saveReply(ctx, tx, r) }))
	}
	return errs
}

func replyErr(r reply, err error) error {
	if err != nil {
		return fmt.Errorf("save reply to %s: %w", r.id, err)
	}
	return nil
}

// saveReply writes one reply in tx.
func (s *Store) saveReply(ctx context.Context, tx *sql.Tx, r reply) error {
	answer, err := json.Marshal(r.answer)
	if err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	if err := s.saveState(ctx, tx, r.id, r.state); err != nil {
		return err
	}
	replyTo := sql.NullInt64{Int64: r.inboundID, Valid: r.inboundID != 0}
	if replyTo.Valid {
		if err := s.checkInbound(ctx, tx, r.id, r.inboundID); err != nil {
			return err
		}
	}
	var msgID int64
	if err := s.q.In(tx).QueryRowContext(ctx, insertReplySQL,
		r.id, DirectionOut, r.answer.Text, string(answer), string(r.answer.Kind), replyTo, sqldb.FormatInstant(s.Now())).Scan(&msgID); err != nil {
		if replyTo.Valid && sqldb.IsUniqueViolation(err) { // messages_one_reply
			return bot.ErrAnswered
		}
		return err
	}
	if r.out == nil {
		return nil
	}
	_, err = outbox.QueueTx(ctx, s.q.In(tx), s.Now(), r.out.Channel, r.out.ChatID, r.out.Key, r.out.Msgs)
	return err
}

const insertReplySQL = `INSERT INTO messages
	(conversation_id, direction, text, answer_json, kind, reply_to, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?)
	RETURNING id`

const messageOwnerSQL = `SELECT conversation_id, direction FROM messages WHERE id = ?`

// checkInbound makes sure a reply answers an inbound message of the same
// conversation.
func (s *Store) checkInbound(ctx context.Context, tx *sql.Tx, id string, inboundID int64) error {
	var conv, dir string
	err := s.q.In(tx).QueryRowContext(ctx, messageOwnerSQL, inboundID).Scan(&conv, &dir)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (conv != id || dir != DirectionIn)) {
		return fmt.Errorf("message %d is not an inbound message of this conversation", inboundID)
	}
	return err
}
