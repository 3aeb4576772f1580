package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Create opens a conversation in bot mode. externalID is the channel's chat
// id, "" when the channel has none (web, cli, eval).
func (s *Store) Create(ctx context.Context, channel, externalID string) (string, error) {
	var id string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var created bool
		var err error
		id, created, err = s.insertConversation(ctx, tx, channel, externalID)
		if err == nil && !created {
			err = ErrExternalIDTaken
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create conversation on %s: %w", channel, err)
	}
	return id, nil
}

// GetOrCreateByExternal returns the conversation of the channel's chat
// externalID, creating it (created=true) on its first message.
func (s *Store) GetOrCreateByExternal(ctx context.Context, channel, externalID string) (string, bool, error) {
	if externalID == "" {
		return "", false, fmt.Errorf("conversation on %s: empty external id", channel)
	}
	var id string
	var created bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, created, err = s.insertConversation(ctx, tx, channel, externalID)
		if err != nil || created {
			return err
		}
		return tx.QueryRowContext(ctx,
			`SELECT id FROM conversations WHERE channel = ? AND external_id = ?`,
			channel, externalID).Scan(&id)
	})
	if err != nil {
		return "", false, fmt.Errorf("conversation on %s: %w", channel, err)
	}
	return id, created, nil
}

// insertConversation inserts a new conversation unless the channel already
// has one for externalID (created=false, id="").
func (s *Store) insertConversation(ctx context.Context, tx *sql.Tx, channel, externalID string) (id string, created bool, err error) {
	return s.insertConversationWith(ctx, txQuery{tx}, channel, externalID)
}

const insertConversationSQL = `INSERT INTO conversations
	(id, channel, external_id, mode, state_json, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (channel, external_id) DO NOTHING
	RETURNING id`

// rowQuerier runs insertConversationSQL: a prepared statement, or a
// transaction through txQuery.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

type txQuery struct{ tx *sql.Tx }

func (t txQuery) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, insertConversationSQL, args...)
}

// insertConversationWith is insertConversation through q.
func (s *Store) insertConversationWith(ctx context.Context, q rowQuerier, channel, externalID string) (id string, created bool, err error) {
	if channel == "" {
		return "", false, errors.New("empty channel")
	}
	st := bot.State{Mode: bot.ModeBot}
	state, err := json.Marshal(st)
	if err != nil {
		return "", false, fmt.Errorf("encode state: %w", err)
	}
	at := s.Now()
	now := sqldb.FormatInstant(at)
	ext := sql.NullString{String: externalID, Valid: externalID != ""}
	err = q.QueryRowContext(ctx,
		newID(at), channel, ext, st.Mode, string(state), now, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return id, true, nil
}

// State returns the conversation's dialogue state; bot.ErrNotFound for an
// unknown id.
func (s *Store) State(ctx context.Context, id string) (bot.State, error) {
	var st bot.State
	var state, mode string
	leave, err := s.turn(ctx)
	if err != nil {
		return st, fmt.Errorf("state of %s: %w", id, err)
	}
	err = s.q.QueryRowContext(ctx, `SELECT state_json, mode FROM conversations WHERE id = ?`, id).Scan(&state, &mode)
	leave()
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("state of %s: %w", id, bot.ErrNotFound)
	}
	if err != nil {
		return st, fmt.Errorf("state of %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(state), &st); err != nil {
		return st, fmt.Errorf("state of %s: decode: %w", id, err)
	}
	st.Mode = mode // the column is the truth: the handoff operations own it
	return st, nil
}

// Exists reports whether the conversation exists.
func (s *Store) Exists(ctx context.Context, id string) (bool, error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return false, fmt.Errorf("conversation %s exists: %w", id, err)
	}
	defer leave()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("conversation %s exists: %w", id, err)
	}
	return n > 0, nil
}

const saveStateSQL = `UPDATE conversations SET state_json = ?, unit_code = ?, updated_at = ? WHERE id = ?`

// saveState writes the state and touches updated_at; bot.ErrNotFound for
// an unknown id. It never writes the mode: a person may have claimed or
// closed the conversation while its message was being answered (the
// handoff operations own the mode column, see setMode).
func (s *Store) saveState(ctx context.Context, tx *sql.Tx, id string, st bot.State) error {
	state, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	var unit sql.NullString
	if st.Unit != nil && st.Unit.Code != "" {
		unit = sql.NullString{String: st.Unit.Code, Valid: true}
	}
	res, err := s.q.In(tx).ExecContext(ctx, saveStateSQL,
		string(state), unit, sqldb.FormatInstant(s.Now()), id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return bot.ErrNotFound
	}
	return nil
}
