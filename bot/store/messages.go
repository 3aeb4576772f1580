package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Message directions.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// StoredMessage is one message of a conversation as stored.
type StoredMessage struct {
	ID               int64         `json:"id"`
	ConversationID   string        `json:"conversation_id"`
	Direction        string        `json:"direction"` // in | out
	Text             string        `json:"text"`
	Location         *bot.Location `json:"location,omitempty"` // inbound pin
	Answer           *bot.Answer   `json:"answer,omitempty"`   // outbound
	Kind             bot.Kind      `json:"kind,omitempty"`     // outbound
	ReplyTo          int64         `json:"reply_to,omitempty"` // outbound: the inbound it answers
	ChannelMessageID string        `json:"channel_message_id,omitempty"`
	// AuthorID and AuthorName name the staff member who wrote an outbound
	// message (0 and "": the bot).
	AuthorID   int64     `json:"author_id,omitempty"`
	AuthorName string    `json:"author_name,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// AppendInbound stores an inbound message before it is answered. A
// non-empty channelMessageID makes it idempotent: when the conversation
// already has that inbound message, nothing is written and duplicate is
// true (msgID is the stored message's id). Unknown conversation:
// bot.ErrNotFound.
func (s *Store) AppendInbound(ctx context.Context, id string, msg bot.Message, channelMessageID string) (int64, bool, error) {
	at := msg.At
	if at.IsZero() {
		at = s.Now()
	}
	var lat, lon sql.NullFloat64
	if msg.Location != nil {
		lat = sql.NullFloat64{Float64: msg.Location.Lat, Valid: true}
		lon = sql.NullFloat64{Float64: msg.Location.Lon, Valid: true}
	}
	cmid := sql.NullString{String: channelMessageID, Valid: channelMessageID != ""}
	var msgID int64
	duplicate := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := conversationExists(ctx, tx, id); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO messages
			(conversation_id, direction, text, lat, lon, channel_message_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (conversation_id, direction, channel_message_id) DO NOTHING
			RETURNING id`,
			id, DirectionIn, msg.Text, lat, lon, cmid, sqldb.FormatInstant(at)).Scan(&msgID)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		duplicate = true
		return tx.QueryRowContext(ctx, `SELECT id FROM messages
			WHERE conversation_id = ? AND direction = ? AND channel_message_id = ?`,
			id, DirectionIn, channelMessageID).Scan(&msgID)
	})
	if err != nil {
		return 0, false, fmt.Errorf("append inbound to %s: %w", id, err)
	}
	return msgID, duplicate, nil
}

func conversationExists(ctx context.Context, tx *sql.Tx, id string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return bot.ErrNotFound
	}
	return nil
}

// A conversation's messages are found by the messages' unique key
// (conversation_id, direction, channel_message_id) and sorted: a
// conversation holds tens of them, and an index of its own cost every
// message one more page written (see migration 0011).
const (
	sqlMessages     = `SELECT ` + columns + ` FROM messages WHERE conversation_id = ? ORDER BY id`
	sqlLastMessages = `SELECT ` + columns + ` FROM (SELECT ` + columns + ` FROM messages
			WHERE conversation_id = ? ORDER BY id DESC LIMIT ?) AS last ORDER BY id`
	sqlMessagesAfter         = `SELECT ` + columns + ` FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?`
	sqlMessagesAfterOrRecent = `SELECT ` + columns + ` FROM messages WHERE conversation_id = ? AND (id > ? OR created_at >= ?)
			ORDER BY id LIMIT ?`
)

// Messages returns the conversation's last limit messages (all when limit
// <= 0), oldest first. Unknown conversation: bot.ErrNotFound.
func (s *Store) Messages(ctx context.Context, id string, limit int) ([]StoredMessage, error) {
	query := sqlMessages
	args := []any{id}
	if limit > 0 {
		query = sqlLastMessages
		args = append(args, limit)
	}
	out, err := s.messages(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", id, err)
	}
	if len(out) == 0 {
		if ok, err := s.Exists(ctx, id); err != nil {
			return nil, err
		} else if !ok {
			return nil, fmt.Errorf("messages of %s: %w", id, bot.ErrNotFound)
		}
	}
	return out, nil
}

// MessagesAfter returns the conversation's messages with an id above
// after, or created at or after recent (zero: none), oldest first, at most
// limit (a live view catching up). On Postgres ids are handed out before
// commit, so a message can become visible after one with a higher id: a
// view that re-reads its recent past (and skips what it has shown) does
// not miss it.
func (s *Store) MessagesAfter(ctx context.Context, id string, after int64, recent time.Time, limit int) ([]StoredMessage, error) {
	query := sqlMessagesAfter
	args := []any{id, after, limit}
	if !recent.IsZero() {
		query = sqlMessagesAfterOrRecent
		args = []any{id, after, sqldb.FormatInstant(recent), limit}
	}
	out, err := s.messages(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("messages of %s after %d: %w", id, after, err)
	}
	return out, nil
}

// messages runs a query of messages in one background turn.
func (s *Store) messages(ctx context.Context, query string, args []any) ([]StoredMessage, error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return nil, err
	}
	defer leave()
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredMessage
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

const columns = `id, conversation_id, direction, text, lat, lon,
	answer_json, kind, reply_to, channel_message_id, author_id, author_name, created_at`

func scanMessage(rows *sql.Rows) (StoredMessage, error) {
	var m StoredMessage
	var lat, lon sql.NullFloat64
	var answer, kind, cmid, author sql.NullString
	var replyTo, authorID sql.NullInt64
	var created string
	if err := rows.Scan(&m.ID, &m.ConversationID, &m.Direction, &m.Text, &lat, &lon,
		&answer, &kind, &replyTo, &cmid, &authorID, &author, &created); err != nil {
		return m, err
	}
	m.AuthorID, m.AuthorName = authorID.Int64, author.String
	if lat.Valid && lon.Valid {
		m.Location = &bot.Location{Lat: lat.Float64, Lon: lon.Float64}
	}
	if answer.Valid {
		m.Answer = new(bot.Answer)
		if err := json.Unmarshal([]byte(answer.String), m.Answer); err != nil {
			return m, fmt.Errorf("message %d: decode answer: %w", m.ID, err)
		}
	}
	m.Kind = bot.Kind(kind.String)
	m.ReplyTo = replyTo.Int64
	m.ChannelMessageID = cmid.String
	var err error
	m.CreatedAt, err = sqldb.ParseInstant(created)
	return m, err
}
