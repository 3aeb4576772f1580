package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hoiphuong/hoiphuong/bot"
)

// CreateWithToken opens a conversation on channel whose chat id is its own
// id (the web chat has no chat id of its own) and returns it with a new
// secret token; only the token's SHA-256 is stored.
func (s *Store) CreateWithToken(ctx context.Context, channel string) (id, token string, err error) {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	token = base64.RawURLEncoding.EncodeToString(b[:])
	id = newID(s.Now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		got, created, err := s.insertConversationWith(ctx, idQuery{tx: tx, id: id}, channel, id)
		if err == nil && !created {
			err = ErrExternalIDTaken
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE conversations SET token_hash = ? WHERE id = ?`, hashToken(token), got)
		return err
	})
	if err != nil {
		return "", "", fmt.Errorf("create conversation on %s: %w", channel, err)
	}
	return id, token, nil
}

// idQuery runs insertConversationSQL with a chosen id instead of a random
// one (the id is also the chat id).
type idQuery struct {
	tx *sql.Tx
	id string
}

func (q idQuery) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	args[0] = q.id
	return q.tx.QueryRowContext(ctx, insertConversationSQL, args...)
}

// CheckToken reports whether token is the secret of conversation id on
// channel (false for a conversation without one): bot.ErrNotFound for an
// unknown id or one of another channel. The comparison takes constant time.
func (s *Store) CheckToken(ctx context.Context, channel, id, token string) (bool, error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return false, fmt.Errorf("check token of %s: %w", id, err)
	}
	var ch string
	var hash sql.NullString
	err = s.q.QueryRowContext(ctx, `SELECT channel, token_hash FROM conversations WHERE id = ?`, id).Scan(&ch, &hash)
	leave()
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && ch != channel):
		return false, fmt.Errorf("check token of %s: %w", id, bot.ErrNotFound)
	case err != nil:
		return false, fmt.Errorf("check token of %s: %w", id, err)
	}
	return hash.Valid && subtle.ConstantTimeCompare([]byte(hash.String), []byte(hashToken(token))) == 1, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ReplyTo returns the stored answer to the inbound message inboundID of
// conversation id; ok is false while it has none.
func (s *Store) ReplyTo(ctx context.Context, id string, inboundID int64) (a bot.Answer, ok bool, err error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return a, false, fmt.Errorf("reply to %d: %w", inboundID, err)
	}
	var answer sql.NullString
	err = s.q.QueryRowContext(ctx, `SELECT answer_json FROM messages
		WHERE reply_to = ? AND conversation_id = ? AND direction = ? ORDER BY id LIMIT 1`,
		inboundID, id, DirectionOut).Scan(&answer)
	leave()
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("reply to %d: %w", inboundID, err)
	}
	if answer.Valid {
		if err := json.Unmarshal([]byte(answer.String), &a); err != nil {
			return a, false, fmt.Errorf("reply to %d: decode: %w", inboundID, err)
		}
	}
	return a, true, nil
}
