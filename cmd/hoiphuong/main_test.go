package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/pgtest"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	_ "modernc.org/sqlite" // the "sqlite" driver, for reading the gateway's database back

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/cmd/internal/bench"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
)

// One real Meilisearch for the package run; the embedded-mode tests start
// their own from meilitest.Bin(). Re-executed as a gateway subprocess
// (kill_test.go), the test binary is `hoiphuong serve` and nothing else.
func TestMain(m *testing.M) {
	if os.Getenv(serveChildEnv) == "1" {
		os.Exit(runServeChild())
	}
	if os.Getenv(benchLoadChildEnv) == "1" { // the bench's load generator
		if err := bench.ServeLoad(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(pgtest.Wrap(func() int { return meilitest.Run(m) }))
}

// benchLoadChildEnv makes the test binary run `hoiphuong bench-load`.
const benchLoadChildEnv = "HOIPHUONG_TEST_BENCH_LOAD_CHILD"

// testEnv is the environment a test hands to run/openApp. Nothing is read
// from the real environment.
type testEnv map[string]string

func (e testEnv) getenv(k string) string { return e[k] }

// remoteEnv points at the package's Meilisearch with index names unique to
// t (dropped when t ends) and a fresh data folder.
func remoteEnv(t *testing.T) testEnv {
	t.Helper()
	_, prefix := meilitest.Client(t)
	return withTestDatabase(t, testEnv{
		"DATA_DIR":           t.TempDir(),
		"MEILI_URL":          meilitest.URL(),
		"MEILI_MASTER_KEY":   meilitest.Key(),
		"MEILI_INDEX_PREFIX": prefix,
		"LOG_LEVEL":          "warn",
	})
}

// withTestDatabase points e at a Postgres database of t's own when the
// tests run on Postgres (HOIPHUONG_TEST_DB=postgres, make test-pg); on
// SQLite the gateway keeps its file under DATA_DIR.
func withTestDatabase(t *testing.T, e testEnv) testEnv {
	t.Helper()
	if sqldbtest.Postgres() {
		e["DATABASE_URL"] = pgtest.URL(t)
	}
	return e
}

// dbLocation is where the gateway started with e keeps its database: the
// Postgres URL, or the SQLite file under DATA_DIR.
func dbLocation(e testEnv) string {
	if u := e["DATABASE_URL"]; u != "" {
		return u
	}
	return filepath.Join(e["DATA_DIR"], dbFile)
}

// embeddedEnv makes the gateway start and supervise its own Meilisearch
// (MEILI_URL empty) under a fresh data folder.
func embeddedEnv(t *testing.T) testEnv {
	t.Helper()
	return withTestDatabase(t, testEnv{
		"DATA_DIR":          t.TempDir(),
		"MEILI_BIN":         meilitest.Bin(),
		"MEILI_INSTALL_DIR": t.TempDir(), // never used: MEILI_BIN is set
		"LOG_LEVEL":         "warn",
	})
}

// lockedBuffer is an io.Writer safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cliResult is what one `hoiphuong …` invocation did.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI calls run as main does, with a bounded context.
func runCLI(t *testing.T, e testEnv, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, e.getenv, strings.NewReader(""), &stdout, &stderr)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// gateway is openApp + serve on a loopback port, as `hoiphuong serve` runs.
type gateway struct {
	app    *app
	url    string
	dbPath string        // the SQLite file, or the Postgres URL (dbLocation)
	stderr *lockedBuffer // progress lines and logs
	http   *http.Client

	stopOnce sync.Once
	stopErr  error
	cancel   context.CancelFunc
	done     chan error
}

// startGateway opens the app with e and serves it on 127.0.0.1:0. It is
// stopped (and serve's result checked) when the test ends unless the test
// stops it first.
func startGateway(t *testing.T, e testEnv) *gateway {
	t.Helper()
	g := &gateway{stderr: &lockedBuffer{}, done: make(chan error, 1),
		http: &http.Client{Timeout: 15 * time.Second, Transport: &citizenTransport{tokens: map[string]string{}}}}
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	octx, ocancel := context.WithTimeout(ctx, 60*time.Second)
	defer ocancel()
	a, err := openApp(octx, &env{getenv: e.getenv, stdin: strings.NewReader(""), stdout: io.Discard, stderr: g.stderr}, appOptions{exclusive: true})
	if err != nil {
		cancel()
		t.Fatalf("openApp: %v\n%s", err, g.stderr)
	}
	g.app = a
	g.dbPath = dbLocation(e)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		a.close()
		t.Fatal(err)
	}
	g.url = "http://" + ln.Addr().String()
	go func() { g.done <- a.serve(ctx, ln) }()
	t.Cleanup(func() {
		if err := g.stop(); err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	waitFor(t, 10*time.Second, "the gateway to answer /healthz", func() bool {
		resp, err := g.http.Get(g.url + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return g
}

// stop cancels serve's context, waits for serve to return (its result is
// returned) and closes the app.
func (g *gateway) stop() error {
	g.stopOnce.Do(func() {
		g.cancel()
		select {
		case g.stopErr = <-g.done:
		case <-time.After(20 * time.Second):
			g.stopErr = errors.New("serve did not return within 20 s of the cancel")
		}
		g.app.close()
		g.http.CloseIdleConnections()
	})
	return g.stopErr
}

// post sends body (raw bytes, so broken JSON can be sent) with the content
// type and returns the status and the response body.
func (g *gateway) post(t *testing.T, path, contentType, body string) (int, []byte) {
	t.Helper()
	resp, err := g.http.Post(g.url+path, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: read: %v", path, err)
	}
	return resp.StatusCode, b
}

func (g *gateway) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	resp, err := g.http.Get(g.url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", path, err)
	}
	return resp.StatusCode, b
}

// citizenTransport is the citizen's side of the web chat's credential: it
// keeps the token of every conversation it opened and sends it with the
// requests on that conversation, as the page and the apps do.
type citizenTransport struct {
	mu     sync.Mutex
	tokens map[string]string // conversation id → token
}

func (c *citizenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	const prefix = "/api/v1/conversations/"
	if rest, ok := strings.CutPrefix(req.URL.Path, prefix); ok && req.Header.Get("Authorization") == "" {
		id, _, _ := strings.Cut(rest, "/")
		c.mu.Lock()
		token := c.tokens[id]
		c.mu.Unlock()
		if token != "" {
			req = req.Clone(req.Context())
			req.Header.Set("Authorization", "Bearer "+token)
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || req.Method != http.MethodPost || req.URL.Path != "/api/v1/conversations" || resp.StatusCode != http.StatusCreated {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	var s struct{ ID, Token string }
	if json.Unmarshal(b, &s) == nil {
		c.mu.Lock()
		c.tokens[s.ID] = s.Token
		c.mu.Unlock()
	}
	return resp, nil
}

// startConversation opens a web conversation through the API.
func (g *gateway) startConversation(t *testing.T) string {
	t.Helper()
	status, body := g.post(t, "/api/v1/conversations", "application/json", `{}`)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/conversations = %d %s, want 201", status, body)
	}
	var c struct{ ID string }
	if err := json.Unmarshal(body, &c); err != nil || c.ID == "" {
		t.Fatalf("conversation body %s: %v", body, err)
	}
	return c.ID
}

// say sends a text message and wants 200 with a bot.Answer.
func (g *gateway) say(t *testing.T, id, text string) bot.Answer {
	t.Helper()
	a, err := g.trySay(id, text)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// trySay is say for goroutines other than the test's.
func (g *gateway) trySay(id, text string) (bot.Answer, error) {
	b, _ := json.Marshal(map[string]string{"text": text})
	resp, err := g.http.Post(g.url+"/api/v1/conversations/"+id+"/messages", "application/json", bytes.NewReader(b))
	if err != nil {
		return bot.Answer{}, fmt.Errorf("message %q: %w", text, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return bot.Answer{}, fmt.Errorf("message %q: %w", text, err)
	}
	if resp.StatusCode != http.StatusOK {
		return bot.Answer{}, fmt.Errorf("message %q = %d %s, want 200", text, resp.StatusCode, body)
	}
	var a bot.Answer
	if err := json.Unmarshal(body, &a); err != nil {
		return bot.Answer{}, fmt.Errorf("message %q: answer %s: %w", text, body, err)
	}
	return a, nil
}

func decodeAnswer(t *testing.T, body []byte) bot.Answer {
	t.Helper()
	var a bot.Answer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("answer %s: %v", body, err)
	}
	return a
}

// countMessages counts the rows of the messages table, read through a
// connection of its own (what is stored, not what the app holds in memory).
func countMessages(t *testing.T, dbPath string) int {
	t.Helper()
	var n int
	if err := openReadDB(t, dbPath).QueryRow(`SELECT COUNT(*) FROM messages`).Scan(&n); err != nil {
		t.Fatalf("count messages in %s: %v", dbPath, err)
	}
	return n
}

// waitFor polls cond every 50 ms until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func unitCode(a bot.Answer) string {
	if a.Unit == nil {
		return ""
	}
	return a.Unit.Code
}

func procedureID(a bot.Answer) string {
	if a.Procedure == nil {
		return ""
	}
	return a.Procedure.ID
}

func candidateCodes(a bot.Answer) []string {
	var out []string
	for _, c := range a.Candidates {
		out = append(out, c.Code)
	}
	return out
}
