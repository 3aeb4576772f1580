package handlers_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestUnknownPathsAndMethods(t *testing.T) {
	tests := []struct {
		method, path string
		wantStatus   int
		wantCode     string
	}{
		{http.MethodGet, "/no/such/page", 404, "not_found"},
		{http.MethodGet, "/api/nope", 404, "not_found"},
		{http.MethodGet, "/api/v2/conversations", 404, "not_found"},
		{http.MethodGet, "/static/app.000000000000.js", 404, "not_found"},
		{http.MethodGet, "/api/v1/conversations", 405, "method_not_allowed"},
		{http.MethodDelete, "/healthz", 405, "method_not_allowed"},
	}
	srv := startServer(t, newFakeConversations())
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			status, header, body := srv.do(t, tt.method, tt.path, "", nil)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d", status, tt.wantStatus)
			}
			if ct := header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			msg := assertError(t, body, tt.wantCode)
			if strings.Contains(msg, tt.path) {
				t.Errorf("message echoes the path: %q", msg)
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	srv := startServer(t, newFakeConversations())
	_, header, _ := srv.do(t, http.MethodGet, "/healthz", "", nil)
	if id := header.Get("X-Request-Id"); len(id) < 16 {
		t.Errorf("generated X-Request-Id = %q", id)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/healthz", nil)
	req.Header.Set("X-Request-Id", "proxy-abc.123")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("X-Request-Id"); got != "proxy-abc.123" {
		t.Errorf("incoming id not kept: %q", got)
	}
}

func TestPageAndAssets(t *testing.T) {
	srv := startServer(t, newFakeConversations())
	status, header, body := srv.do(t, http.MethodGet, "/", "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET / status %d", status)
	}
	if ct := header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	for name, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
	} {
		if got := header.Get(name); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", name, got, want)
		}
	}
	if csp := header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %s", csp)
	}
	html := string(body)
	for _, want := range []string{
		`<html lang="vi">`, "Hỏi Phường", "Tra cứu phường, xã mới TP.HCM", ">Gửi</button>", "Gửi vị trí",
		`aria-live="polite"`, `data-max-runes="2000"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, " style=") || strings.Contains(html, "onclick") {
		t.Error("page has inline script or style")
	}

	assetRE := regexp.MustCompile(`(?:src|href)="(/static/[a-z]+\.[0-9a-f]{12}\.(?:js|css|svg))"`)
	assets := assetRE.FindAllStringSubmatch(html, -1)
	if len(assets) != 3 {
		t.Fatalf("found %d hashed assets in the page, want 3", len(assets))
	}
	wantType := map[string]string{".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
	for _, m := range assets {
		status, header, body := srv.do(t, http.MethodGet, m[1], "", nil)
		if status != http.StatusOK || len(body) == 0 {
			t.Errorf("GET %s: status %d, %d bytes", m[1], status, len(body))
			continue
		}
		if cc := header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("%s Cache-Control = %q", m[1], cc)
		}
		ext := m[1][strings.LastIndex(m[1], "."):]
		if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, wantType[ext]) {
			t.Errorf("%s Content-Type = %q", m[1], ct)
		}
	}
}
