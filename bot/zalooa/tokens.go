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

	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
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
	c.tokMu.Lock()
	c.tok = t
	c.tokMu.Unlock()
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
		c.tokMu.Lock()
		c.tok = next // still usable in memory
		c.tokMu.Unlock()
		return "", err
	}
	c.tokMu.Lock()
	c.tok = next
	c.tokMu.Unlock()
	c.refreshes.Add(1)
	c.cfg.Logger.Info("zalo oa access token refreshed", "channel", Name)
	return next.Access, nil
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
