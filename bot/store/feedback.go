package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// RecordFeedback stores a citizen's rating (+1 👍, −1 👎) of the
// conversation's last bot answer (an outbound message of kind answer) and
// returns that message's id; rating it again replaces the rating. No
// answer yet: bot.ErrNoAnswer.
func (s *Store) RecordFeedback(ctx context.Context, convID string, score int) (int64, error) {
	if score != 1 && score != -1 {
		return 0, fmt.Errorf("record feedback on %s: score %d is not +1 or -1", convID, score)
	}
	var msgID int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM messages
			WHERE conversation_id = ? AND direction = ? AND kind = ?
			ORDER BY id DESC LIMIT 1`, convID, DirectionOut, string(bot.KindAnswer)).Scan(&msgID)
		if errors.Is(err, sql.ErrNoRows) {
			return bot.ErrNoAnswer
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO feedback (conversation_id, message_id, score, created_at)
			VALUES (?, ?, ?, ?)
			ON CONFLICT (message_id) DO UPDATE SET score = excluded.score, created_at = excluded.created_at`,
			convID, msgID, score, sqldb.FormatInstant(s.Now()))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("record feedback on %s: %w", convID, err)
	}
	return msgID, nil
}

// Feedback is one stored rating.
type Feedback struct {
	MessageID int64
	Score     int
}

// FeedbackOf returns the ratings of a conversation's answers, oldest first.
func (s *Store) FeedbackOf(ctx context.Context, convID string) ([]Feedback, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT f.message_id, f.score FROM messages m
		JOIN feedback f ON f.message_id = m.id
		WHERE m.conversation_id = ? ORDER BY m.id`, convID)
	if err != nil {
		return nil, fmt.Errorf("feedback of %s: %w", convID, err)
	}
	defer rows.Close()
	var out []Feedback
	for rows.Next() {
		var f Feedback
		if err := rows.Scan(&f.MessageID, &f.Score); err != nil {
			return nil, fmt.Errorf("feedback of %s: %w", convID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
