package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
)

// Handoff statuses. The queue (claim, close) moves a request past open.
const HandoffOpen = "open"

// ReasonRequested is the reason of a handoff the bot's answer made: the
// citizen asked for a person (or complained). bot.Answer carries no finer
// reason today.
const ReasonRequested = "requested"

// Handoff is a request for a person to take a conversation over.
type Handoff struct {
	ID             int64     `json:"id"`
	ConversationID string    `json:"conversation_id"`
	MessageID      int64     `json:"message_id"` // the bot's handoff answer
	Reason         string    `json:"reason"`
	UnitCode       string    `json:"unit_code"` // "": the city-level queue
	Status         string    `json:"status"`
	CreatedAt      time.Time `json:"created_at"`
}

// openHandoff queues the conversation at its unit unless it already waits
// in a queue (the partial unique index on open requests).
func (s *Store) openHandoff(ctx context.Context, tx *sql.Tx, id string, msgID int64, st bot.State) error {
	var unit sql.NullString
	if st.Unit != nil && st.Unit.Code != "" {
		unit = sql.NullString{String: st.Unit.Code, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO handoff_requests
		(conversation_id, message_id, reason, unit_code, created_at, status)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		id, msgID, ReasonRequested, unit, formatInstant(s.Now()), HandoffOpen)
	if err != nil {
		return fmt.Errorf("open handoff: %w", err)
	}
	return nil
}

// Handoffs returns the conversation's handoff requests, oldest first.
func (s *Store) Handoffs(ctx context.Context, id string) ([]Handoff, error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return nil, fmt.Errorf("handoffs of %s: %w", id, err)
	}
	defer leave()
	rows, err := s.db.QueryContext(ctx, `SELECT id, conversation_id, message_id, reason, unit_code,
		status, created_at FROM handoff_requests WHERE conversation_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("handoffs of %s: %w", id, err)
	}
	defer rows.Close()
	var out []Handoff
	for rows.Next() {
		var h Handoff
		var msgID sql.NullInt64
		var unit sql.NullString
		var created string
		if err := rows.Scan(&h.ID, &h.ConversationID, &msgID, &h.Reason, &unit, &h.Status, &created); err != nil {
			return nil, fmt.Errorf("handoffs of %s: %w", id, err)
		}
		h.MessageID, h.UnitCode = msgID.Int64, unit.String
		if h.CreatedAt, err = parseInstant(created); err != nil {
			return nil, fmt.Errorf("handoffs of %s: %w", id, err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("handoffs of %s: %w", id, err)
	}
	return out, nil
}
