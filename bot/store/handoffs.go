package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Handoff statuses: queued in a unit's queue, owned by a staff member, or
// closed.
const (
	HandoffOpen     = "open"
	HandoffAssigned = "assigned"
	HandoffClosed   = "closed"
)

// CityQueue is the unit code of the city-level queue (bot/staff.CityQueue).
const CityQueue = "city"

// Errors of the queue operations; callers branch on them.
var (
	ErrNoHandoff = errors.New("no such handoff")
	// ErrTaken: the handoff is not in the state the operation needs (another
	// staff member claimed it first, or it was closed meanwhile).
	ErrTaken = errors.New("handoff already taken or closed")
	// ErrCapacity: the staff member already owns as many chats as allowed.
	ErrCapacity = errors.New("staff member at capacity")
)

// Handoff is a request for a person to take a conversation over, with the
// conversation's channel.
type Handoff struct {
	ID              int64     `json:"id"`
	ConversationID  string    `json:"conversation_id"`
	MessageID       int64     `json:"message_id"` // the citizen's message that asked
	Reason          string    `json:"reason"`
	UnitCode        string    `json:"unit_code"` // CityQueue: the city level
	Status          string    `json:"status"`
	CreatedAt       time.Time `json:"created_at"` // queue order
	AssigneeID      int64     `json:"assignee_id,omitempty"`
	AssigneeName    string    `json:"assignee_name,omitempty"`
	ClaimedAt       time.Time `json:"claimed_at"`
	FirstResponseAt time.Time `json:"first_response_at"`
	DueAt           time.Time `json:"due_at"`
	EscalatedAt     time.Time `json:"escalated_at"`
	ClosedAt        time.Time `json:"closed_at"`
	Outcome         string    `json:"outcome,omitempty"`
	ProcedureID     string    `json:"procedure_id,omitempty"`
	Summary         string    `json:"summary,omitempty"`
	Channel         string    `json:"channel"`
	ExternalID      string    `json:"external_id,omitempty"`
	// LastInboundAt is the citizen's last message (Zalo's 48-hour window).
	LastInboundAt time.Time `json:"last_inbound_at"`
	// Mode is the conversation's mode (bot.ModeQueued, …).
	Mode string `json:"mode"`
}

// WithBot reports whether the citizen went back to the bot while the
// request is still queued or owned: it stays for staff, whose reply still
// reaches the citizen.
func (h Handoff) WithBot() bool {
	return (h.Status == HandoffOpen || h.Status == HandoffAssigned) && h.Mode == bot.ModeBot
}

// NewHandoff is what opens a handoff.
type NewHandoff struct {
	ConversationID string
	MessageID      int64 // 0: none
	Reason         string
	UnitCode       string // "": CityQueue
	ProcedureID    string
	Summary        string
	DueAt          time.Time
}

const handoffColumns = `h.id, h.conversation_id, h.message_id, h.reason, h.unit_code, h.status, h.created_at,
	h.assignee_id, h.assignee_name, h.claimed_at, h.first_response_at, h.due_at, h.escalated_at,
	h.closed_at, h.outcome, h.procedure_id, h.summary, c.channel, c.external_id,
	(SELECT MAX(m.created_at) FROM messages m WHERE m.conversation_id = h.conversation_id AND m.direction = 'in'),
	c.mode`

const handoffFrom = ` FROM handoff_requests h JOIN conversations c ON c.id = h.conversation_id`

type scanner interface{ Scan(dest ...any) error }

func scanHandoff(r scanner) (Handoff, error) {
	var h Handoff
	var msgID, assignee sql.NullInt64
	var unit, aname, claimed, first, due, esc, closed, outcome, proc, summary, ext, lastIn sql.NullString
	var created string
	if err := r.Scan(&h.ID, &h.ConversationID, &msgID, &h.Reason, &unit, &h.Status, &created,
		&assignee, &aname, &claimed, &first, &due, &esc, &closed, &outcome, &proc, &summary,
		&h.Channel, &ext, &lastIn, &h.Mode); err != nil {
		return h, err
	}
	h.MessageID, h.AssigneeID, h.AssigneeName = msgID.Int64, assignee.Int64, aname.String
	h.UnitCode, h.Outcome, h.ProcedureID, h.Summary, h.ExternalID = unit.String, outcome.String, proc.String, summary.String, ext.String
	if h.UnitCode == "" {
		h.UnitCode = CityQueue
	}
	var err error
	if h.CreatedAt, err = sqldb.ParseInstant(created); err != nil {
		return h, err
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&h.ClaimedAt, claimed}, {&h.FirstResponseAt, first}, {&h.DueAt, due}, {&h.EscalatedAt, esc}, {&h.ClosedAt, closed}, {&h.LastInboundAt, lastIn}} {
		if f.src.Valid && f.src.String != "" {
			if *f.dst, err = sqldb.ParseInstant(f.src.String); err != nil {
				return h, err
			}
		}
	}
	return h, nil
}

func nullInstant(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: sqldb.FormatInstant(t), Valid: true}
}

// OpenHandoff queues the conversation at its unit and sets its mode to
// queued, in one transaction. A conversation that already has an active
// request keeps it (created=false): asking twice does not queue twice; a
// citizen who went back to the bot (LeaveHandoff) and asks again is back
// with that request (queued, or with its owner).
func (s *Store) OpenHandoff(ctx context.Context, n NewHandoff) (h Handoff, created bool, err error) {
	if n.UnitCode == "" {
		n.UnitCode = CityQueue
	}
	now := s.Now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := conversationExists(ctx, tx, n.ConversationID); err != nil {
			return err
		}
		msg := sql.NullInt64{Int64: n.MessageID, Valid: n.MessageID != 0}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO handoff_requests
			(conversation_id, message_id, reason, unit_code, created_at, status, due_at, procedure_id, summary)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING id`,
			n.ConversationID, msg, n.Reason, n.UnitCode, sqldb.FormatInstant(now), HandoffOpen,
			nullInstant(n.DueAt), n.ProcedureID, n.Summary).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return rejoin(ctx, tx, n.ConversationID, now)
		}
		if err != nil {
			return err
		}
		created = true
		if err := setMode(ctx, tx, n.ConversationID, bot.ModeQueued, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, id, n.ConversationID, "queued", 0, "", n.Reason, now)
	})
	if err != nil {
		return Handoff{}, false, fmt.Errorf("open handoff for %s: %w", n.ConversationID, err)
	}
	h, err = s.ActiveHandoff(ctx, n.ConversationID)
	return h, created, err
}

// rejoin puts a citizen who went back to the bot back with their active
// request: queued, or with its owner.
func rejoin(ctx context.Context, tx *sql.Tx, convID string, now time.Time) error {
	var id int64
	var status, mode string
	err := tx.QueryRowContext(ctx, `SELECT h.id, h.status, c.mode FROM handoff_requests h
		JOIN conversations c ON c.id = h.conversation_id
		WHERE h.conversation_id = ? AND h.status IN ('open', 'assigned')`, convID).Scan(&id, &status, &mode)
	if err != nil || mode != bot.ModeBot {
		return err
	}
	to := bot.ModeQueued
	if status == HandoffAssigned {
		to = bot.ModeHuman
	}
	if err := setMode(ctx, tx, convID, to, now); err != nil {
		return err
	}
	return addEvent(ctx, tx, id, convID, EventReturned, 0, "", "", now)
}

// LeaveHandoff gives the conversation back to the bot at the citizen's
// request: its active request keeps its place in the queue (or its owner)
// for staff, who see it marked (Handoff.WithBot) and may still reply.
// ErrNoHandoff when none is active.
func (s *Store) LeaveHandoff(ctx context.Context, conversationID string) (Handoff, error) {
	h, err := s.ActiveHandoff(ctx, conversationID)
	if err != nil {
		return h, err
	}
	err = s.transition(ctx, h.ID, []string{HandoffOpen, HandoffAssigned}, func(tx *sql.Tx, h Handoff, now time.Time) error {
		if err := setMode(ctx, tx, conversationID, bot.ModeBot, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, h.ID, conversationID, EventLeft, 0, "", "", now)
	})
	if errors.Is(err, ErrTaken) {
		err = ErrNoHandoff // closed meanwhile
	}
	if err != nil {
		return h, fmt.Errorf("leave handoff of %s: %w", conversationID, err)
	}
	return s.ActiveHandoff(ctx, conversationID)
}

// ActiveHandoff returns the conversation's queued or owned request;
// ErrNoHandoff when there is none.
func (s *Store) ActiveHandoff(ctx context.Context, conversationID string) (Handoff, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+handoffColumns+handoffFrom+`
		WHERE h.conversation_id = ? AND h.status IN ('open', 'assigned')`, conversationID)
	h, err := scanHandoff(row)
	if errors.Is(err, sql.ErrNoRows) {
		return h, ErrNoHandoff
	}
	if err != nil {
		return h, fmt.Errorf("active handoff of %s: %w", conversationID, err)
	}
	return h, nil
}

// HandoffByID returns one request; ErrNoHandoff when unknown.
func (s *Store) HandoffByID(ctx context.Context, id int64) (Handoff, error) {
	h, err := scanHandoff(s.db.QueryRowContext(ctx, `SELECT `+handoffColumns+handoffFrom+` WHERE h.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, ErrNoHandoff
	}
	if err != nil {
		return h, fmt.Errorf("handoff %d: %w", id, err)
	}
	return h, nil
}

// Handoffs returns the conversation's requests, oldest first.
func (s *Store) Handoffs(ctx context.Context, conversationID string) ([]Handoff, error) {
	return s.queryHandoffs(ctx, `WHERE h.conversation_id = ? ORDER BY h.id`, conversationID)
}

// LastHandoff returns the conversation's newest request (of any status).
func (s *Store) LastHandoff(ctx context.Context, conversationID string) (Handoff, error) {
	hs, err := s.queryHandoffs(ctx, `WHERE h.conversation_id = ? ORDER BY h.id DESC LIMIT 1`, conversationID)
	if err != nil {
		return Handoff{}, err
	}
	if len(hs) == 0 {
		return Handoff{}, ErrNoHandoff
	}
	return hs[0], nil
}

// Queue returns the active requests of the units (all units when units is
// nil), oldest first: queued ones and, with owned, those a person owns.
func (s *Store) Queue(ctx context.Context, units []string, owned bool) ([]Handoff, error) {
	var where strings.Builder
	var args []any
	where.WriteString(`WHERE h.status IN ('open'`)
	if owned {
		where.WriteString(`, 'assigned'`)
	}
	where.WriteString(`)`)
	if units != nil {
		if len(units) == 0 {
			return nil, nil
		}
		where.WriteString(` AND h.unit_code IN (` + placeholders(len(units)) + `)`)
		for _, u := range units {
			args = append(args, u)
		}
	}
	where.WriteString(` ORDER BY h.created_at, h.id`)
	return s.queryHandoffs(ctx, where.String(), args...)
}

// OwnedBy returns the requests a staff member owns, oldest first.
func (s *Store) OwnedBy(ctx context.Context, assigneeID int64) ([]Handoff, error) {
	return s.queryHandoffs(ctx, `WHERE h.status = 'assigned' AND h.assignee_id = ? ORDER BY h.created_at, h.id`, assigneeID)
}

// Position is the request's place in its unit's queue (1: next); 0 when it
// is no longer queued.
func (s *Store) Position(ctx context.Context, h Handoff) (int, error) {
	if h.Status != HandoffOpen {
		return 0, nil
	}
	var n int
	at := sqldb.FormatInstant(h.CreatedAt)
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM handoff_requests
		WHERE status = 'open' AND unit_code = ? AND (created_at < ? OR (created_at = ? AND id < ?))`,
		h.UnitCode, at, at, h.ID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("queue position of %d: %w", h.ID, err)
	}
	return n + 1, nil
}

func (s *Store) queryHandoffs(ctx context.Context, tail string, args ...any) ([]Handoff, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+handoffColumns+handoffFrom+` `+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("handoffs: %w", err)
	}
	defer rows.Close()
	var out []Handoff
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, fmt.Errorf("handoffs: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("handoffs: %w", err)
	}
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// setMode writes the conversation's mode: the column is the truth (see
// State); the handoff operations own it.
func setMode(ctx context.Context, tx *sql.Tx, id, mode string, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE conversations SET mode = ?, updated_at = ? WHERE id = ?`,
		mode, sqldb.FormatInstant(now), id)
	if err != nil {
		return fmt.Errorf("set mode: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return bot.ErrNotFound
	}
	return nil
}

// setStaffMode is setMode for a staff member's queue operation (a claim, a
// transfer): a citizen who went back to the bot stays with the bot until
// staff actually write to them (StaffReply).
func setStaffMode(ctx context.Context, tx *sql.Tx, id, mode string, now time.Time) error {
	var cur string
	if err := tx.QueryRowContext(ctx, `SELECT mode FROM conversations WHERE id = ?`, id).Scan(&cur); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return bot.ErrNotFound
		}
		return fmt.Errorf("set mode: %w", err)
	}
	if cur == bot.ModeBot {
		return nil
	}
	return setMode(ctx, tx, id, mode, now)
}

// SetMode sets a conversation's mode (the rating flow returns it to bot).
func (s *Store) SetMode(ctx context.Context, id, mode string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return setMode(ctx, tx, id, mode, s.Now()) })
}

// AvgClaimWait is the mean time from queueing to a claim over the unit's
// last n claimed requests (ok=false: none yet).
func (s *Store) AvgClaimWait(ctx context.Context, unit string, n int) (time.Duration, bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT created_at, claimed_at FROM handoff_requests
		WHERE unit_code = ? AND claimed_at IS NOT NULL ORDER BY id DESC LIMIT ?`, unit, n)
	if err != nil {
		return 0, false, fmt.Errorf("average wait of %s: %w", unit, err)
	}
	defer rows.Close()
	var sum time.Duration
	count := 0
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return 0, false, err
		}
		ta, err1 := sqldb.ParseInstant(a)
		tb, err2 := sqldb.ParseInstant(b)
		if err1 != nil || err2 != nil {
			continue
		}
		sum += tb.Sub(ta)
		count++
	}
	if err := rows.Err(); err != nil || count == 0 {
		return 0, false, err
	}
	return sum / time.Duration(count), true, nil
}

// ActiveCounts are the requests waiting, owned and past their deadline
// without a response, over every unit.
type ActiveCounts struct{ Queued, Owned, Overdue int }

// CountActive counts the active requests (for /metrics).
func (s *Store) CountActive(ctx context.Context, now time.Time) (ActiveCounts, error) {
	var c ActiveCounts
	err := s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'assigned' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN first_response_at IS NULL AND due_at < ? THEN 1 ELSE 0 END), 0)
		FROM handoff_requests WHERE status IN ('open', 'assigned')`, sqldb.FormatInstant(now)).Scan(&c.Queued, &c.Owned, &c.Overdue)
	if err != nil {
		return c, fmt.Errorf("count active handoffs: %w", err)
	}
	return c, nil
}

// SetSummary replaces a request's summary for staff, provided it still
// reads was (the summary the request was opened with): a better summary
// computed later never overwrites one written meanwhile. It reports
// whether the summary changed.
func (s *Store) SetSummary(ctx context.Context, id int64, was, summary string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE handoff_requests SET summary = ?
		WHERE id = ? AND COALESCE(summary, '') = ?`, summary, id, was)
	if err != nil {
		return false, fmt.Errorf("summary of handoff %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("summary of handoff %d: %w", id, err)
	}
	return n == 1, nil
}

// ActiveByUnit counts the active (queued or owned) requests of each unit
// queue that has any.
func (s *Store) ActiveByUnit(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(unit_code, 'city'), COUNT(*) FROM handoff_requests
		WHERE status IN ('open', 'assigned') GROUP BY COALESCE(unit_code, 'city')`)
	if err != nil {
		return nil, fmt.Errorf("active handoffs by unit: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var unit string
		var n int
		if err := rows.Scan(&unit, &n); err != nil {
			return nil, fmt.Errorf("active handoffs by unit: %w", err)
		}
		out[unit] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("active handoffs by unit: %w", err)
	}
	return out, nil
}
