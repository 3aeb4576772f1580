package dashboard

import (
	"context"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// trendsTTL is how long a viewer's trends are reused: they move slowly,
// and the page refreshes every 10 seconds.
const trendsTTL = time.Minute

// trendCache keeps each viewer's trends for trendsTTL, by user and last
// day, so that a refresh reads the 8 weeks of activity once a minute at
// most.
type trendCache struct {
	desk  Figures
	now   func() time.Time
	mu    sync.Mutex
	byKey map[trendKey]trendEntry
}

type trendKey struct {
	user int64
	day  string
}

type trendEntry struct {
	at time.Time
	tr handoff.Trends
}

func newTrendCache(desk Figures, now func() time.Time) *trendCache {
	return &trendCache{desk: desk, now: now, byKey: map[trendKey]trendEntry{}}
}

// trends returns u's trends up to the day of end, from the cache when
// they are fresh.
func (c *trendCache) trends(ctx context.Context, u staff.User, end time.Time) (handoff.Trends, error) {
	key := trendKey{user: u.ID, day: end.Format(dayLayout)}
	now := c.now()
	c.mu.Lock()
	e, ok := c.byKey[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < trendsTTL && !now.Before(e.at) {
		return e.tr, nil
	}
	tr, err := c.desk.Trends(ctx, u, end)
	if err != nil {
		return tr, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, old := range c.byKey { // a few viewers: sweeping is cheap
		if now.Sub(old.at) >= trendsTTL {
			delete(c.byKey, k)
		}
	}
	c.byKey[key] = trendEntry{at: now, tr: tr}
	return tr, nil
}
