package zalooa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// InfoPath is the OA information call: the cheapest authenticated call of
// the OA API (no message, no quota). Not in ../shared/notes/channels.md:
// it is the call many OA clients use for exactly this check (GET with the
// access_token header, answer {error, message, data{oa_id, name}}); confirm
// on a real OA.
const InfoPath = "/v2.0/oa/getoa"

// ErrTokenRejected is returned by CheckToken when Zalo rejects the access
// token (-216: invalid or expired).
var ErrTokenRejected = errors.New("zalooa: access token invalid or expired (-216)")

// CheckToken says whether Zalo accepts accessToken by asking for the OA's
// information at apiURL (DefaultAPIURL when empty) and returns the OA's
// name. It never refreshes: the refresh token is single-use, and a check
// must not rotate the pair under a running gateway.
func CheckToken(ctx context.Context, apiURL, accessToken string, timeout time.Duration) (name string, err error) {
	apiURL = strings.TrimRight(apiURL, "/")
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if accessToken == "" {
		return "", errors.New("zalooa: no access token (ZALO_OA_ACCESS_TOKEN)")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, apiURL+InfoPath, nil)
	if err != nil {
		return "", fmt.Errorf("zalooa: getoa: %w", err)
	}
	req.Header.Set("access_token", accessToken)
	resp, err := (&http.Client{Timeout: timeout}).Do(req)
	if err != nil {
		return "", fmt.Errorf("zalooa: getoa: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("zalooa: getoa: %w", err)
	}
	var r struct {
		Error   *int   `json:"error"`
		Message string `json:"message"`
		Data    struct {
			OAID json.RawMessage `json:"oa_id"` // a string or a number
			Name string          `json:"name"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.Error == nil {
		return "", fmt.Errorf("zalooa: getoa: HTTP %d, unreadable answer", resp.StatusCode)
	}
	switch *r.Error {
	case 0:
		return r.Data.Name, nil
	case errTokenInvalid:
		return "", ErrTokenRejected
	}
	return "", fmt.Errorf("zalooa: getoa: error %d", *r.Error)
}
