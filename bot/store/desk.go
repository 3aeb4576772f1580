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

// Actor is the staff member doing a queue operation (ID 0: the system).
type Actor struct {
	ID   int64
	Name string
}

// Handoff event kinds (handoff_events.kind).
const (
	EventQueued      = "queued"
	EventClaimed     = "claimed"
	EventNote        = "note"
	EventTransferred = "transferred"
	EventHandedBack  = "handed_back"
	EventClosed      = "closed"
	EventEscalated   = "escalated"
	EventRated       = "rated"
	// EventLeft: the citizen went back to the bot, the request stays for
	// staff; EventReturned: they asked for staff again.
	EventLeft     = "left"
	EventReturned = "returned"
)

// Event is one thing that happened to a handoff besides messages.
type Event struct {
	ID        int64     `json:"id"`
	HandoffID int64     `json:"handoff_id"`
	Kind      string    `json:"kind"`
	ActorID   int64     `json:"actor_id,omitempty"`
	ActorName string    `json:"actor_name,omitempty"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

func addEvent(ctx context.Context, tx *sql.Tx, handoffID int64, convID, kind string, actorID int64, actorName, text string, now time.Time) error {
	actor := sql.NullInt64{Int64: actorID, Valid: actorID != 0}
	_, err := tx.ExecContext(ctx, `INSERT INTO handoff_events
		(handoff_id, conversation_id, kind, actor_id, actor_name, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, handoffID, convID, kind, actor, actorName, text, sqldb.FormatInstant(now))
	if err != nil {
		return fmt.Errorf("handoff event: %w", err)
	}
	return nil
}

// transition runs fn on the request id inside one transaction, after
// checking that its status is one of from (ErrTaken otherwise).
func (s *Store) transition(ctx context.Context, id int64, from []string, fn func(tx *sql.Tx, h Handoff, now time.Time) error) error {
	h, err := s.HandoffByID(ctx, id)
	if err != nil {
		return err
	}
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM handoff_requests WHERE id = ?`, id).Scan(&status); err != nil {
			return fmt.Errorf("handoff %d: %w", id, err)
		}
		ok := false
		for _, f := range from {
			ok = ok || status == f
		}
		if !ok {
			return ErrTaken
		}
		h.Status = status
		return fn(tx, h, now)
	})
}

// Claim gives a queued request to a staff member who owns fewer than
// maxChats requests (maxChats <= 0: no limit). Of two concurrent claims
// exactly one wins; the other gets ErrTaken.
func (s *Store) Claim(ctx context.Context, id int64, who Actor, maxChats int) error {
	return s.transition(ctx, id, []string{HandoffOpen}, func(tx *sql.Tx, h Handoff, now time.Time) error {
		if maxChats > 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM handoff_requests
				WHERE status = 'assigned' AND assignee_id = ?`, who.ID).Scan(&n); err != nil {
				return err
			}
			if n >= maxChats {
				return ErrCapacity
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE handoff_requests SET status = 'assigned', assignee_id = ?,
			assignee_name = ?, claimed_at = ? WHERE id = ? AND status = 'open'`,
			who.ID, who.Name, sqldb.FormatInstant(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrTaken
		}
		if err := setStaffMode(ctx, tx, h.ConversationID, bot.ModeHuman, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, h.ConversationID, EventClaimed, who.ID, who.Name, "", now)
	})
}

// Reassign gives an active request to another staff member (a supervisor's
// action), whatever its capacity.
func (s *Store) Reassign(ctx context.Context, id int64, to, by Actor) error {
	return s.transition(ctx, id, []string{HandoffOpen, HandoffAssigned}, func(tx *sql.Tx, h Handoff, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `UPDATE handoff_requests SET status = 'assigned', assignee_id = ?,
			assignee_name = ?, claimed_at = COALESCE(claimed_at, ?) WHERE id = ?`,
			to.ID, to.Name, sqldb.FormatInstant(now), id); err != nil {
			return err
		}
		if err := setStaffMode(ctx, tx, h.ConversationID, bot.ModeHuman, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, h.ConversationID, EventClaimed, by.ID, by.Name, "→ "+to.Name, now)
	})
}

// Transfer moves an active request to another unit's queue (or the city's)
// with a reason; it waits there unowned, keeping its place in time.
func (s *Store) Transfer(ctx context.Context, id int64, toUnit string, due time.Time, by Actor, reason string) error {
	if toUnit == "" {
		toUnit = CityQueue
	}
	return s.transition(ctx, id, []string{HandoffOpen, HandoffAssigned}, func(tx *sql.Tx, h Handoff, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `UPDATE handoff_requests SET status = 'open', unit_code = ?,
			assignee_id = NULL, assignee_name = NULL, claimed_at = NULL, due_at = ?, escalated_at = NULL
			WHERE id = ?`, toUnit, nullInstant(due), id); err != nil {
			return err
		}
		if err := setStaffMode(ctx, tx, h.ConversationID, bot.ModeQueued, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, h.ConversationID, EventTransferred, by.ID, by.Name, h.UnitCode+" → "+toUnit+": "+reason, now)
	})
}

// OutcomeHandedBack is the outcome of a request handed back to the bot
// (recorded as a hand-back, not a close).
const OutcomeHandedBack = "handed_back"

// Close ends an active request with an outcome and sets the conversation's
// mode: bot.ModeClosed (the citizen is asked for a rating) or bot.ModeBot
// (the bot answers again at once: a hand-back, or a close that asks no
// rating).
func (s *Store) Close(ctx context.Context, id int64, outcome, mode string, by Actor) error {
	kind := EventClosed
	if outcome == OutcomeHandedBack {
		kind = EventHandedBack
	}
	return s.transition(ctx, id, []string{HandoffOpen, HandoffAssigned}, func(tx *sql.Tx, h Handoff, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `UPDATE handoff_requests SET status = 'closed', closed_at = ?,
			outcome = ? WHERE id = ?`, sqldb.FormatInstant(now), outcome, id); err != nil {
			return err
		}
		if err := setMode(ctx, tx, h.ConversationID, mode, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, h.ConversationID, kind, by.ID, by.Name, outcome, now)
	})
}

// StaffReply stores a staff member's message to the citizen on the
// request's conversation (an outbound message with its author) and records
// the first response. The request must be active. A citizen who had gone
// back to the bot is with staff again: the clerk wrote to them.
func (s *Store) StaffReply(ctx context.Context, id int64, by Actor, a bot.Answer) (msgID int64, err error) {
	answer, err := json.Marshal(a)
	if err != nil {
		return 0, fmt.Errorf("staff reply: %w", err)
	}
	err = s.transition(ctx, id, []string{HandoffOpen, HandoffAssigned}, func(tx *sql.Tx, h Handoff, now time.Time) error {
		at := sqldb.FormatInstant(now)
		if err := tx.QueryRowContext(ctx, `INSERT INTO messages
			(conversation_id, direction, text, answer_json, kind, created_at, author_id, author_name)
			VALUES (?, 'out', ?, ?, ?, ?, ?, ?) RETURNING id`,
			h.ConversationID, a.Text, string(answer), string(a.Kind), at, by.ID, by.Name).Scan(&msgID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE handoff_requests SET first_response_at = COALESCE(first_response_at, ?)
			WHERE id = ?`, at, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE conversations SET updated_at = ?,
			mode = CASE WHEN mode = ? THEN ? ELSE mode END WHERE id = ?`, at, bot.ModeBot, bot.ModeHuman, h.ConversationID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("staff reply on handoff %d: %w", id, err)
	}
	return msgID, nil
}

// SystemMessage stores an outbound message the gateway itself sends on a
// conversation (the rating question after a close, a hand-back notice).
func (s *Store) SystemMessage(ctx context.Context, convID string, a bot.Answer) (int64, error) {
	answer, err := json.Marshal(a)
	if err != nil {
		return 0, fmt.Errorf("system message: %w", err)
	}
	var id int64
	err = s.db.QueryRowContext(ctx, `INSERT INTO messages (conversation_id, direction, text, answer_json, kind, created_at)
		VALUES (?, 'out', ?, ?, ?, ?) RETURNING id`, convID, a.Text, string(answer), string(a.Kind), sqldb.FormatInstant(s.Now())).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("system message on %s: %w", convID, err)
	}
	return id, nil
}

// AddNote records an internal note (never sent to the citizen).
func (s *Store) AddNote(ctx context.Context, id int64, by Actor, text string) error {
	return s.transition(ctx, id, []string{HandoffOpen, HandoffAssigned, HandoffClosed}, func(tx *sql.Tx, h Handoff, now time.Time) error {
		return addEvent(ctx, tx, id, h.ConversationID, EventNote, by.ID, by.Name, text, now)
	})
}

// Events returns what happened to the conversation's requests, oldest first.
func (s *Store) Events(ctx context.Context, convID string) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, handoff_id, kind, actor_id, actor_name, text, created_at
		FROM handoff_events WHERE conversation_id = ? ORDER BY id`, convID)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", convID, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var actor sql.NullInt64
		var name sql.NullString
		var at string
		if err := rows.Scan(&e.ID, &e.HandoffID, &e.Kind, &actor, &name, &e.Text, &at); err != nil {
			return nil, fmt.Errorf("events of %s: %w", convID, err)
		}
		e.ActorID, e.ActorName = actor.Int64, name.String
		if e.CreatedAt, err = sqldb.ParseInstant(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Overdue returns queued requests past their first-response deadline with
// no response and not yet escalated.
func (s *Store) Overdue(ctx context.Context, now time.Time) ([]Handoff, error) {
	return s.queryHandoffs(ctx, `WHERE h.status IN ('open', 'assigned') AND h.first_response_at IS NULL
		AND h.escalated_at IS NULL AND h.due_at IS NOT NULL AND h.due_at < ? ORDER BY h.due_at`, sqldb.FormatInstant(now))
}

// MarkEscalated records that an overdue request was escalated, once: a
// request escalated already (by another gateway's run) is ErrTaken.
func (s *Store) MarkEscalated(ctx context.Context, id int64) error {
	return s.transition(ctx, id, []string{HandoffOpen, HandoffAssigned}, func(tx *sql.Tx, h Handoff, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE handoff_requests SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL`,
			sqldb.FormatInstant(now), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(ErrTaken, err)
		}
		return addEvent(ctx, tx, id, h.ConversationID, EventEscalated, 0, "", "", now)
	})
}

// Rate records the citizen's 1–5 rating of the conversation's last closed
// request; a second rating of the same request replaces the first.
func (s *Store) Rate(ctx context.Context, convID string, score int) error {
	if score < 1 || score > 5 {
		return fmt.Errorf("rating %d out of 1–5", score)
	}
	h, err := s.LastHandoff(ctx, convID)
	if err != nil {
		return err
	}
	if h.Status != HandoffClosed {
		return ErrNoHandoff
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO csat (handoff_id, conversation_id, unit_code, score, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (handoff_id) DO UPDATE SET score = excluded.score`,
			h.ID, convID, h.UnitCode, score, sqldb.FormatInstant(now)); err != nil {
			return fmt.Errorf("rate %s: %w", convID, err)
		}
		return addEvent(ctx, tx, h.ID, convID, EventRated, 0, "", fmt.Sprint(score), now)
	})
}

// RateComment adds the citizen's comment to their rating.
func (s *Store) RateComment(ctx context.Context, convID, comment string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE csat SET comment = ? WHERE id =
		(SELECT MAX(id) FROM csat WHERE conversation_id = ?)`, comment, convID)
	if err != nil {
		return fmt.Errorf("rating comment on %s: %w", convID, err)
	}
	return nil
}

// Rating is a stored CSAT answer.
type Rating struct {
	Score   int
	Comment string
}

// RatingOf returns the rating of a request (ok=false: none yet).
func (s *Store) RatingOf(ctx context.Context, handoffID int64) (Rating, bool, error) {
	var r Rating
	err := s.db.QueryRowContext(ctx, `SELECT score, comment FROM csat WHERE handoff_id = ?`, handoffID).Scan(&r.Score, &r.Comment)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("rating of %d: %w", handoffID, err)
	}
	return r, true, nil
}
