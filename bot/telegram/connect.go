package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hoiphuong/hoiphuong/bot/channel"
)

// Run connects to the Bot API in the background (getMe, retried with
// backoff), registers the webhook or starts long polling, and returns when
// ctx is done.
func (c *Channel) Run(ctx context.Context) {
	defer c.running.Wait()
	channel.Startup{
		Poll: c.cfg.Mode == ModePoll, PublicBaseURL: c.cfg.PublicBaseURL, Retry: c.retry,
		Connect: c.connect, DeleteWebhook: c.deleteWebhook, SetWebhook: c.SetWebhook,
		RunPoll: c.poll, Ready: func() { c.setErr("") },
		Leases: c.cfg.Leases, PollLease: "poll:" + Name, Renew: c.cfg.LeaseRenew,
	}.Run(ctx)
}

// connect constructs the library's BotAPI, which calls getMe.
func (c *Channel) connect(ctx context.Context) error {
	api, err := tgbotapi.NewBotAPIWithClient(c.cfg.Token, c.endpoint, ctxClient{ctx, c.http, c.cfg.Token})
	if err != nil {
		return err
	}
	c.api.Store(api)
	c.cfg.Logger.Info("telegram connected", "channel", Name, "bot", api.Self.UserName)
	return nil
}

// retry runs step until it succeeds or ctx ends (false), waiting longer
// after each failure and keeping the last error for Ready.
func (c *Channel) retry(ctx context.Context, what string, step func(context.Context) error) bool {
	return channel.Retry(ctx, c.cfg.RetryMax, step, func(err error, wait time.Duration) {
		c.setErr(what + ": " + err.Error())
		c.cfg.Logger.Warn("telegram unreachable, retrying", "channel", Name, "step", what, "err", err, "wait", wait)
	})
}

// bot returns the connected BotAPI with its HTTP calls bound to ctx, or nil
// before the first successful getMe.
func (c *Channel) bot(ctx context.Context, client *http.Client) *tgbotapi.BotAPI {
	api := c.api.Load()
	if api == nil {
		return nil
	}
	b := *api // the library takes no context: each call gets its own client
	b.Client = ctxClient{ctx, client, c.cfg.Token}
	return &b
}

var errNotConnected = errors.New("telegram: not connected yet")

// ctxClient binds the library's requests to a context and keeps the bot
// token out of error messages (net/http puts the URL, token included, in
// its errors).
type ctxClient struct {
	ctx   context.Context
	http  *http.Client
	token string
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req.WithContext(c.ctx))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = strings.ReplaceAll(ue.URL, c.token, "<token>")
		}
	}
	return resp, err
}
