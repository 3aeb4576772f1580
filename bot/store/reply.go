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
	return s.saveReply(ctx, id, inboundID, a, st, nil)
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
	return s.saveReply(ctx, id, inboundID, a, st, func(tx *sql.Tx) error {
		_, err := outbox.QueueTx(ctx, s.q.In(tx), s.Now(), out.Channel, out.ChatID, out.Key, out.Msgs)
		return err
	})
}

func (s *Store) saveReply(ctx context.Context, id string, inboundID int64, a bot.Answer, st bot.State, also func(*sql.Tx) error) error {
	answer, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("save reply to %s: encode answer: %w", id, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.saveState(ctx, tx, id, st); err != nil {
			return err
		}
		replyTo := sql.NullInt64{Int64: inboundID, Valid: inboundID != 0}
		if replyTo.Valid {
			if err := s.checkInbound(ctx, tx, id, inboundID); err != nil {
				return err
			}
		}
		var msgID int64
		if err := s.q.In(tx).QueryRowContext(ctx, insertReplySQL,
			id, DirectionOut, a.Text, string(answer), string(a.Kind), replyTo, sqldb.FormatInstant(s.Now())).Scan(&msgID); err != nil {
			if replyTo.Valid && sqldb.IsUniqueViolation(err) { // messages_one_reply
				return bot.ErrAnswered
			}
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save reply to %s: %w", id, err)
	}
	return nil
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
