package chanstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Telegram is the Telegram adapter's state: the payloads behind inline
// keyboard buttons and the long-polling offset of each bot.
type Telegram struct {
	db *sql.DB
}

// NewTelegram applies the "telegram" migrations on db and returns the
// store.
func NewTelegram(ctx context.Context, db *sql.DB) (*Telegram, error) {
	if db == nil {
		return nil, errors.New("chanstore: nil database")
	}
	if err := migrate(ctx, db, "telegram"); err != nil {
		return nil, err
	}
	return &Telegram{db: db}, nil
}

// SaveCallback stores payload behind key, keeping the first payload when
// the key is known (a key is derived from its payload).
func (s *Telegram) SaveCallback(ctx context.Context, key, payload string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO telegram_callbacks (key, payload, created_at)
		VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, payload, at.UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("chanstore: save callback: %w", err)
	}
	return nil
}

// Callback returns the payload behind key; ok is false for an unknown key.
func (s *Telegram) Callback(ctx context.Context, key string) (payload string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT payload FROM telegram_callbacks WHERE key = ?`, key).Scan(&payload)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("chanstore: callback: %w", err)
	}
	return payload, true, nil
}

// PollOffset is the next getUpdates offset of the bot (0: none stored).
func (s *Telegram) PollOffset(ctx context.Context, botID string) (int, error) {
	var offset int
	err := s.db.QueryRowContext(ctx, `SELECT next_offset FROM telegram_poll_offsets WHERE bot_id = ?`,
		botID).Scan(&offset)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("chanstore: poll offset: %w", err)
	}
	return offset, nil
}

// SavePollOffset records the bot's next getUpdates offset.
func (s *Telegram) SavePollOffset(ctx context.Context, botID string, offset int, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO telegram_poll_offsets (bot_id, next_offset, updated_at)
		VALUES (?, ?, ?) ON CONFLICT (bot_id) DO UPDATE SET
			next_offset = excluded.next_offset, updated_at = excluded.updated_at`,
		botID, offset, at.UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("chanstore: save poll offset: %w", err)
	}
	return nil
}
