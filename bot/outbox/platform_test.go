package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// platform is a fake messaging platform over HTTP: it records every
// message it receives, in arrival order. While hung, it records a message
// and then holds the request open (the send is in flight) until unhung.
type platform struct {
	srv  *httptest.Server
	mu   sync.Mutex
	got  []string      // chat/text
	hung chan struct{} // non-nil: requests wait for it to be closed
}

func newPlatform(t *testing.T, hung bool) *platform {
	t.Helper()
	p := &platform{}
	if hung {
		p.hung = make(chan struct{})
	}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct{ ChatID, Text string }
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil || r.URL.Path != "/sendMessage" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		p.mu.Lock()
		p.got = append(p.got, m.ChatID+"/"+m.Text)
		hung := p.hung
		p.mu.Unlock()
		if hung != nil {
			select {
			case <-hung:
			case <-r.Context().Done():
				return
			}
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(p.srv.Close)
	t.Cleanup(p.unhang) // before Close, which waits for the requests held
	return p
}

// unhang lets the held requests and all later ones through.
func (p *platform) unhang() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hung != nil {
		close(p.hung)
		p.hung = nil
	}
}

func (p *platform) received() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.got...)
}

// sender returns an outbox.Sender that posts to the platform.
func (p *platform) sender() outbox.Sender { return httpSender{url: p.srv.URL} }

// httpSender posts each message as JSON to <url>/sendMessage.
type httpSender struct{ url string }

func (s httpSender) Send(ctx context.Context, chatID string, m outbox.OutMessage) (time.Duration, error) {
	body, err := json.Marshal(map[string]string{"chatID": chatID, "text": m.Text})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/sendMessage", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("platform: status %d", resp.StatusCode)
	}
	return 0, nil
}
