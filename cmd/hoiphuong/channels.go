package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/flood"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/limitstore"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/webchat"
	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/handlers/webhook"
)

// channels is the messaging side of the gateway: the inbound flow, the
// outbox and the configured channel adapters (nil when off).
type channels struct {
	inbox    *inbox.Inbox
	outbox   *outbox.Outbox
	web      *webchat.Channel
	telegram *telegram.Channel
	zalo     zaloChannels // zalo.go
}

// openChannels wires the inbox and outbox on db and constructs the
// channels whose variables are set. Nothing here touches the network.
func (a *app) openChannels(ctx context.Context, db *sql.DB, conv *botstore.Store, svc *bot.Service) (*channels, error) {
	out, err := outbox.New(ctx, db, outbox.Config{Logger: a.logger, Gate: conv.Gate, InDoubt: a.cfg.OutboxInDoubt,
		Holder: a.holder, LeaseTTL: a.cfg.LeaseTTL})
	if err != nil {
		return nil, err
	}
	claims := a.sharedLeases(db)
	var fl flood.Config
	if claims != nil { // several gateways: a sender's messages are counted together
		if a.limits, err = limitstore.New(ctx, db); err != nil {
			return nil, err
		}
		fl.Shared = a.limits
	}
	in, err := inbox.New(inbox.Config{Store: conv, Answerer: svc, Outbox: out, Logger: a.logger, Claims: claims,
		Sweep: a.cfg.LeaseTTL / 2, Flood: fl})
	if err != nil {
		return nil, err
	}
	web, err := webchat.New(webchat.Config{Store: conv, Inbox: in})
	if err != nil {
		return nil, err
	}
	in.Register(web) // always on: the chat page and API
	ch := &channels{inbox: in, outbox: out, web: web}
	if a.cfg.TelegramToken != "" {
		st, err := chanstore.NewTelegram(ctx, db)
		if err != nil {
			return nil, err
		}
		tg, err := telegram.New(telegram.Config{
			Token: a.cfg.TelegramToken, Secret: a.cfg.TelegramSecret, Mode: a.cfg.TelegramMode,
			APIURL: a.cfg.TelegramAPIURL, PublicBaseURL: a.cfg.PublicBaseURL,
			Store: st, Inbox: in, Logger: a.logger, Leases: a.sharedLeases(db), LeaseRenew: a.cfg.LeaseTTL / 3,
		})
		if err != nil {
			return nil, err
		}
		in.Register(tg)
		out.Register(telegram.Name, tg, outbox.Limits{}) // 1 msg/s per chat, 30 msg/s per bot
		ch.telegram = tg
	}
	if ch.zalo, err = a.openZalo(ctx, db, in, out); err != nil {
		return nil, err
	}
	return ch, nil
}

// run runs the channel adapters, the inbox and the outbox until ctx is
// done; the returned wait blocks until they have finished their work in
// flight.
func (c *channels) run(ctx context.Context) (wait func()) {
	var wg sync.WaitGroup
	runners := []func(context.Context){c.inbox.Run, c.outbox.Run}
	if c.telegram != nil {
		runners = append(runners, c.telegram.Run)
	}
	runners = append(runners, c.zalo.runners()...)
	for _, run := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(ctx)
		}()
	}
	return wg.Wait
}

// webhooks are the receivers of the channels that use webhooks.
func (c *channels) webhooks() map[string]webhook.Receiver {
	hooks := map[string]webhook.Receiver{}
	if c.telegram != nil && c.telegram.Mode() == telegram.ModeWebhook {
		hooks[telegram.Name] = c.telegram
	}
	c.zalo.addWebhooks(hooks)
	return hooks
}

// degraded names the configured channels that cannot reach their platform.
func (c *channels) degraded(context.Context) error {
	var errs []error
	if c.telegram != nil {
		if err := c.telegram.Ready(); err != nil {
			errs = append(errs, handlers.ComponentError{Name: "telegram", Err: err})
		}
	}
	errs = append(errs, c.zalo.degraded()...)
	if len(errs) > 0 {
		return fmt.Errorf("channel degraded: %w", errors.Join(errs...))
	}
	return nil
}
