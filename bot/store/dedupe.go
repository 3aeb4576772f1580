package store

import (
	"context"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// PruneDedupeKeys forgets the channel message ids (the dedupe keys) of
// inbound messages created before before, at most limit of them, and says
// how many it forgot; the messages themselves stay in the history. A key
// only matters while the platform may deliver the update again (Telegram
// retries for 24 h, Zalo for hours), and Telegram picks update ids at
// random again after a quiet week, so a key kept forever could one day
// swallow a new message as a "duplicate". A message whose key is gone is no
// longer a pending channel delivery either: one left unanswered that long
// is not answered any more.
func (s *Store) PruneDedupeKeys(ctx context.Context, before time.Time, limit int) (int64, error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return 0, fmt.Errorf("prune dedupe keys: %w", err)
	}
	defer leave()
	res, err := s.db.ExecContext(ctx, `UPDATE messages SET channel_message_id = NULL
		WHERE id IN (SELECT id FROM messages
			WHERE channel_message_id IS NOT NULL AND direction = 'in' AND created_at < ?
			ORDER BY created_at LIMIT ?)`, sqldb.FormatInstant(before), limit)
	if err != nil {
		return 0, fmt.Errorf("prune dedupe keys: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("prune dedupe keys: %w", err)
	}
	return n, nil
}
