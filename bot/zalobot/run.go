package zalobot

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/channel"
)

// Run checks the token (getMe, retried with backoff), registers the
// webhook or starts long polling, and returns when ctx is done.
func (c *Channel) Run(ctx context.Context) {
	channel.Startup{
		Poll: c.cfg.Mode == ModePoll, PublicBaseURL: c.cfg.PublicBaseURL, Retry: c.retry,
		Connect: func(ctx context.Context) error {
			if err := c.GetMe(ctx); err != nil {
				return err
			}
			c.cfg.Logger.Info("zalo bot connected", "channel", Name)
			return nil
		},
		DeleteWebhook: func(ctx context.Context) error {
			_, err := c.call(ctx, c.http, "deleteWebhook", struct{}{})
			return err
		},
		SetWebhook: c.SetWebhook, RunPoll: c.poll, Ready: func() { c.setErr("") },
		Leases: c.cfg.Leases, PollLease: "poll:" + Name, Renew: c.cfg.LeaseRenew,
	}.Run(ctx)
}

// retry runs step until it succeeds or ctx ends (false), waiting longer
// after each failure and keeping the last error for Ready.
func (c *Channel) retry(ctx context.Context, what string, step func(context.Context) error) bool {
	return channel.Retry(ctx, c.cfg.RetryMax, step, func(err error, wait time.Duration) {
		c.setErr(what + ": " + err.Error())
		c.cfg.Logger.Warn("zalo bot unreachable, retrying", "channel", Name, "step", what, "err", err, "wait", wait)
	})
}

// poll long-polls getUpdates until ctx is done. getUpdates has no offset:
// an update seen twice is a duplicate for the inbox.
func (c *Channel) poll(ctx context.Context) {
	wait := min(time.Second, c.cfg.RetryMax)
	for ctx.Err() == nil {
		err := c.pollOnce(ctx)
		if err == nil {
			wait = min(time.Second, c.cfg.RetryMax)
			continue
		}
		if ctx.Err() != nil {
			return
		}
		c.cfg.Logger.Warn("zalo bot getUpdates failed, retrying", "channel", Name, "err", err, "wait", wait)
		if !channel.Sleep(ctx, wait) {
			return
		}
		wait = min(wait*2, c.cfg.RetryMax)
	}
}

// pollOnce fetches and persists what getUpdates returns; a 408 is the
// poll's timeout with nothing new.
func (c *Channel) pollOnce(ctx context.Context) error {
	res, err := c.call(ctx, c.poller, "getUpdates", map[string]string{
		"timeout": strconv.Itoa(int(c.cfg.PollTimeout / time.Second)),
	})
	var ae *APIError
	if errors.As(err, &ae) && (ae.Code == http.StatusRequestTimeout || ae.Status == http.StatusRequestTimeout) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(res) == 0 || string(res) == "null" || string(res) == "[]" {
		return nil
	}
	return c.Receive(ctx, []byte(`{"ok":true,"result":`+string(res)+`}`))
}
