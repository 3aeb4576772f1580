package zalooa_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	"github.com/hoiphuong/hoiphuong/bot/zalooa/zalooatest"
)

func TestCheckToken(t *testing.T) {
	fake := zalooatest.New(t)
	tests := []struct {
		name     string
		token    string
		down     bool
		wantName string
		wantErr  error // nil: any error when wantName is empty
		calls    int   // requests the fake receives
	}{
		{"valid token", zalooatest.AccessToken, false, zalooatest.OAName, nil, 1},
		{"rejected token", "expired", false, "", zalooa.ErrTokenRejected, 1},
		{"no token", "", false, "", nil, 0},
		{"zalo unreachable", zalooatest.AccessToken, true, "", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(fake.Requests(zalooatest.InfoPath))
			fake.Down.Store(tt.down)
			defer fake.Down.Store(false)
			name, err := zalooa.CheckToken(t.Context(), fake.URL, tt.token, 5*time.Second)
			if name != tt.wantName || (tt.wantName == "") != (err != nil) ||
				(tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("CheckToken = %q, %v; want %q, %v", name, err, tt.wantName, tt.wantErr)
			}
			reqs := fake.Requests(zalooatest.InfoPath)
			if got := len(reqs) - before; got != tt.calls {
				t.Fatalf("%d getoa calls, want %d", got, tt.calls)
			}
			if tt.calls > 0 {
				r := reqs[len(reqs)-1]
				if r.Method != http.MethodGet || r.Header.Get("access_token") != tt.token {
					t.Errorf("request = %s with access_token %q, want GET with the token", r.Method, r.Header.Get("access_token"))
				}
			}
		})
	}
	// A check never refreshes: the single-use refresh token stays unused.
	if n := len(fake.Requests(zalooatest.RefreshPath)); n != 0 {
		t.Errorf("%d token refreshes during checks, want 0", n)
	}
}
