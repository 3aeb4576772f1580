package main

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/channel"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/periodic"
	"github.com/hoiphuong/hoiphuong/handlers/ratelimit"
	"github.com/hoiphuong/hoiphuong/knowledge/publish"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// Several gateways may share one Postgres database (DATABASE_URL): work
// that only one may do runs under leases (knowledge/sqldb/lease), and what
// one gateway does that the others must see travels as Postgres
// notifications (live events, a newly published KB), the database staying
// the truth. A SQLite file has one gateway (instance.Lock on DATA_DIR).

// Notification channels between gateways.
const (
	liveChannel = "hoiphuong_live" // live.Event, relayed (live.Relay)
	kbChannel   = "hoiphuong_kb"   // a published KB version number
)

// kbCheckEvery is how often a gateway checks for a KB published by another
// one, should a notification have been missed.
const kbCheckEvery = 30 * time.Second

// openLeases names this gateway and prepares its leases on db.
func (a *app) openLeases(ctx context.Context, db *sql.DB) error {
	if err := lease.Migrate(ctx, db); err != nil {
		return err
	}
	a.holder = "local" // the only gateway: it takes its leases back at once after a restart
	if a.cfg.DatabaseURL != "" {
		a.holder = lease.NewHolder()
	}
	a.leases = &lease.Keeper{DB: db, Holder: a.holder, TTL: a.cfg.LeaseTTL}
	return nil
}

// sharedLeases are the leases of the work several gateways share, nil
// when this is the only gateway on its database (no claims needed), or
// when conversations live in a throwaway database (ask, chat, eval).
func (a *app) sharedLeases(convDB *sql.DB) lease.Claims {
	if a.cfg.DatabaseURL == "" || convDB != a.db {
		return nil
	}
	return a.leases
}

// shareWithGateways relays live events to and from the other gateways and
// switches to a KB version another gateway published, until ctx is done.
// It does nothing for a gateway alone on its database.
func (a *app) shareWithGateways(ctx context.Context) {
	if a.cfg.DatabaseURL == "" {
		return
	}
	relay := live.NewRelay(a.hub, a.holder, func(ctx context.Context, payload string) error {
		return sqldb.Notify(ctx, a.db, liveChannel, payload)
	}, a.logger)
	go relay.Run(ctx)
	go sqldb.Listen(ctx, a.cfg.DatabaseURL, []string{liveChannel, kbChannel}, a.logger,
		func() { a.checkKB(ctx) }, // (re)connected: a publish may have been missed
		func(channel, payload string) {
			switch channel {
			case liveChannel:
				relay.Receive(payload)
			case kbChannel:
				a.checkKB(ctx)
			}
		})
	go periodic.Every(ctx, kbCheckEvery, a.checkKB)
	if a.limits != nil {
		go periodic.Every(ctx, time.Hour, a.pruneLimits)
	}
}

// sharedLimits is the store of the chat API's per-address buckets the
// gateways share (nil: each gateway counts in memory).
func (a *app) sharedLimits() ratelimit.Taker {
	if a.limits == nil {
		return nil // not a typed nil
	}
	return a.limits
}

// pruneLimits forgets the shared rate-limit counters idle for an hour
// (every gateway does it; a delete twice is harmless).
func (a *app) pruneLimits(ctx context.Context) {
	if err := a.limits.Prune(ctx, time.Now().Add(-time.Hour)); err != nil && ctx.Err() == nil {
		a.logger.Warn("prune the shared rate-limit counters", "err", err)
	}
}

// announceKB tells the other gateways that version was published.
func (a *app) announceKB(ctx context.Context, version int) {
	if a.cfg.DatabaseURL == "" {
		return
	}
	if err := sqldb.Notify(ctx, a.db, kbChannel, strconv.Itoa(version)); err != nil {
		a.logger.Warn("tell the other gateways of the published KB; they check within "+kbCheckEvery.String(), "err", err)
	}
}

// checkKB switches the engine to the newest published KB version when
// another gateway published it.
func (a *app) checkKB(ctx context.Context) {
	a.kbMu.Lock()
	defer a.kbMu.Unlock()
	latest, err := a.kbs.LatestVersion(ctx)
	if err != nil {
		if ctx.Err() == nil {
			a.logger.Warn("check for a KB published by another gateway", "err", err)
		}
		return
	}
	if latest <= a.engine.KB().Version {
		return
	}
	kb, err := a.kbs.Load(ctx, latest)
	if err != nil {
		a.logger.Warn("load the KB another gateway published", "version", latest, "err", err)
		return
	}
	withSeedSynonyms(kb)
	a.engine.SetKB(kb)
	a.logger.Info("knowledge base published by another gateway", "version", kb.Version, "as_of", kb.AsOf.Format("2006-01-02"))
}

// startLeaseWait bounds how long a starting gateway waits for another one
// to finish seeding the KB or building the indexes.
const startLeaseWait = 5 * time.Minute

// underPublishLease runs fn while this gateway holds the publish lease of
// the gateways sharing the database, waiting while another holds it: the
// first start's seeding and an index build run in one gateway at a time
// (gateways starting together would each seed a version, and their staged
// indexes would collide in a shared Meilisearch); fn checks again what the
// other may have done meanwhile. Alone on its database, fn just runs.
func (a *app) underPublishLease(ctx context.Context, fn func() error) error {
	if a.cfg.DatabaseURL == "" {
		return fn()
	}
	ctx, cancel := context.WithTimeout(ctx, startLeaseWait)
	defer cancel()
	for waited := false; ; waited = true {
		release, ok, err := lease.Hold(ctx, a.leases, publish.Lease, a.cfg.LeaseTTL/3, a.logger)
		if err != nil {
			return err
		}
		if ok {
			defer release()
			return fn()
		}
		if !waited {
			fmt.Fprintln(a.progress, "waiting for another gateway publishing or building the search index…")
		}
		if !channel.Sleep(ctx, 500*time.Millisecond) {
			return fmt.Errorf("another gateway held the publish lease for %s: %w", startLeaseWait, ctx.Err())
		}
	}
}
