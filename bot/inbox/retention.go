package inbox

import (
	"context"
	"time"
)

// Dedupe key retention: a key is only needed while the platform may
// deliver its update again (hours), and Telegram reuses update ids after a
// quiet week, so keys older than Config.KeyRetention are forgotten.
const (
	pruneEvery = time.Hour
	pruneBatch = 1000 // keys per statement: a short turn on the connection
)

// retain prunes old dedupe keys now and every pruneEvery until ctx is done.
func (in *Inbox) retain(ctx context.Context) {
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		in.pruneKeys(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pruneKeys forgets every key older than the retention, a batch at a time.
func (in *Inbox) pruneKeys(ctx context.Context) {
	before := in.cfg.Now().Add(-in.cfg.KeyRetention)
	var total int64
	for ctx.Err() == nil {
		n, err := in.cfg.Store.PruneDedupeKeys(ctx, before, pruneBatch)
		if err != nil {
			if ctx.Err() == nil {
				in.cfg.Logger.Warn("inbox: prune dedupe keys", "err", err)
			}
			return
		}
		total += n
		if n < pruneBatch {
			break
		}
	}
	if total > 0 {
		in.cfg.Logger.Info("inbox: dedupe keys pruned", "keys", total, "before", before)
	}
}
