package zalooa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/channel"
	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// seedTokens stores the configured tokens when the database has none: once
// a refresh happened, the stored pair is the only valid one.
func (c *Channel) seedTokens(ctx context.Context) error {
	t, ok, err := c.cfg.Store.LoadTokens(ctx, c.cfg.AppID)
	if err != nil {
		return fmt.Errorf("zalooa: %w", err)
	}
	if !ok && (c.cfg.AccessToken != "" || c.cfg.RefreshToken != "") {
		t = chanstore.Tokens{Access: c.cfg.AccessToken, Refresh: c.cfg.RefreshToken}
		if err := c.cfg.Store.SaveTokens(ctx, c.cfg.AppID, t, c.cfg.Now()); err != nil {
			return fmt.Errorf("zalooa: %w", err)
		}
	}
	c.adopt(t)
	return nil
}

func (c *Channel) current() chanstore.Tokens {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	return c.tok
}

// refresh replaces the access token that Zalo rejected (stale). Callers
// that saw the same stale token share one refresh: whoever comes second
// finds a newer token and uses it.
func (c *Channel) refresh(ctx context.Context, stale string) (string, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	cur := c.current()
	if cur.Access != stale && cur.Access != "" {
		return cur.Access, nil
	}
	if c.cfg.Leases != nil {
		l, fresh, err := c.refreshLease(ctx, stale)
		if err != nil || fresh != "" {
			return fresh, err
		}
		defer func() {
			if err := c.cfg.Leases.Release(context.WithoutCancel(ctx), l); err != nil {
				c.cfg.Logger.Warn("zalooa: release the token refresh lease; it expires by itself", "channel", Name, "err", err)
			}
		}()
		cur = c.current() // as stored when the lease was taken
	}
	if cur.Refresh == "" {
		return "", errors.New("zalooa: no refresh token (set ZALO_OA_REFRESH_TOKEN)")
	}
	next, err := c.requestRefresh(ctx, cur.Refresh)
	if err != nil {
		c.setErr("token refresh: " + err.Error())
		return "", err
	}
	// Persist before use: the old refresh token is spent now.
	if err := c.cfg.Store.SaveTokens(context.WithoutCancel(ctx), c.cfg.AppID, next, c.cfg.Now()); err != nil {
		c.cfg.Logger.Error("zalooa: the refreshed tokens could not be stored; re-authorise the OA if the process stops now",
			"channel", Name, "err", err)
		c.adopt(next) // still usable in memory
		return "", err
	}
	c.adopt(next)
	c.refreshes.Add(1)
	c.cfg.Logger.Info("zalo oa access token refreshed", "channel", Name)
	return next.Access, nil
}

// refreshLeaseName is the lease under which one gateway refreshes the
// OA's token pair.
func (c *Channel) refreshLeaseName() string { return "zalo-oa-token:" + c.cfg.AppID }

// refreshLease takes the token refresh lease of the gateways sharing the
// database, waiting while another one holds it; fresh is set instead when
// the stored pair no longer has the stale access token (another gateway
// refreshed it): it is adopted and no refresh is needed. With the lease,
// the stored pair is loaded: the refresh starts from its refresh token.
func (c *Channel) refreshLease(ctx context.Context, stale string) (l lease.Lease, fresh string, err error) {
	deadline := time.Now().Add(2*c.cfg.Timeout + 5*time.Second)
	for {
		stored, ok, err := c.cfg.Store.LoadTokens(ctx, c.cfg.AppID)
		if err != nil {
			return lease.Lease{}, "", fmt.Errorf("zalooa: %w", err)
		}
		if ok && stored.Access != stale && stored.Access != "" {
			c.adopt(stored)
			return lease.Lease{}, stored.Access, nil
		}
		l, held, err := c.cfg.Leases.Acquire(ctx, c.refreshLeaseName())
		if err != nil {
			return lease.Lease{}, "", fmt.Errorf("zalooa: token refresh lease: %w", err)
		}
		if held {
			// Loaded again under the lease: a refresh may have ended
			// between the load above and the lease.
			if stored, ok, err = c.cfg.Store.LoadTokens(ctx, c.cfg.AppID); err != nil {
				return lease.Lease{}, "", errors.Join(fmt.Errorf("zalooa: %w", err), c.cfg.Leases.Release(ctx, l))
			}
			if ok {
				c.adopt(stored)
				if stored.Access != stale && stored.Access != "" {
					return lease.Lease{}, stored.Access, c.cfg.Leases.Release(ctx, l)
				}
			}
			return l, "", nil
		}
		if time.Now().After(deadline) {
			return lease.Lease{}, "", errors.New("zalooa: another gateway is refreshing the token and has not stored the new one")
		}
		if !channel.Sleep(ctx, 100*time.Millisecond) {
			return lease.Lease{}, "", ctx.Err()
		}
	}
}

// adopt makes t the pair in use.
func (c *Channel) adopt(t chanstore.Tokens) {
	c.tokMu.Lock()
	c.tok = t
	c.tokMu.Unlock()
}

// Zalo's OAuth errors that need an administrator.
const (
	errInvalidRefresh = -14014
	errExpiredRefresh = -14020
)

// requestRefresh exchanges the refresh token for a new pair.
func (c *Channel) requestRefresh(ctx context.Context, refresh string) (chanstore.Tokens, error) {
	form := url.Values{"app_id": {c.cfg.AppID}, "grant_type": {"refresh_token"}, "refresh_token": {refresh}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.OAuthURL+"/v4/oa/access_token", strings.NewReader(form.Encode()))
	if err != nil {
		return chanstore.Tokens{}, fmt.Errorf("zalooa: refresh: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", c.cfg.AppSecret)
	resp, err := c.http.Do(req)
	if err != nil {
		return chanstore.Tokens{}, fmt.Errorf("zalooa: refresh: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return chanstore.Tokens{}, fmt.Errorf("zalooa: refresh: %w", err)
	}
	var r struct {
		AccessToken  string  `json:"access_token"`
		RefreshToken string  `json:"refresh_token"`
		ExpiresIn    zalo.ID `json:"expires_in"`
		Error        int     `json:"error"`
		ErrorName    string  `json:"error_name"`
		Message      string  `json:"message"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return chanstore.Tokens{}, fmt.Errorf("zalooa: refresh: HTTP %d, unreadable answer", resp.StatusCode)
	}
	if r.Error != 0 || r.AccessToken == "" || r.RefreshToken == "" {
		msg := fmt.Sprintf("zalooa: refresh refused: error %d %s", r.Error, r.ErrorName)
		if r.Error == errInvalidRefresh || r.Error == errExpiredRefresh {
			msg += " (the refresh token is no longer valid: re-authorise the OA)"
		}
		return chanstore.Tokens{}, errors.New(msg)
	}
	t := chanstore.Tokens{Access: r.AccessToken, Refresh: r.RefreshToken}
	if secs, err := strconv.Atoi(string(r.ExpiresIn)); err == nil && secs > 0 {
		t.ExpiresAt = c.cfg.Now().Add(time.Duration(secs) * time.Second)
	}
	return t, nil
}
