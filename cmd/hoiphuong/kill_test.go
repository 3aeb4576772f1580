package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
)

// serveChildEnv makes the test binary run `hoiphuong serve` (TestMain).
const serveChildEnv = "HOIPHUONG_TEST_SERVE_CHILD"

func runServeChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, []string{"serve"}, os.Getenv, strings.NewReader(""), os.Stdout, os.Stderr)
}

// TestKilledWithPendingOutbox kills the gateway (SIGKILL) while its outbox
// holds answers it could not deliver (the Bot API is down), restarts it on
// the same DATA_DIR with the Bot API back, and checks that every pending
// message is delivered exactly once.
func TestKilledWithPendingOutbox(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the gateway twice as a subprocess")
	}
	t.Parallel()
	fake := telegramtest.New(t)
	fake.Down.Store(true)
	e := remoteEnv(t)
	e["TELEGRAM_BOT_TOKEN"] = telegramtest.Token
	e["TELEGRAM_WEBHOOK_SECRET"] = telegramtest.Secret
	e["TELEGRAM_API_URL"] = fake.URL
	dbPath := filepath.Join(e["DATA_DIR"], "hoiphuong.db")

	first := startChild(t, e)
	const chats = 5
	for i := range chats {
		postUpdate(t, first, telegramtest.TextUpdate(100+i, int64(8800+i), "phường 5 quận 3"))
	}
	db := openReadDB(t, dbPath)
	pending := func() (n int) {
		_ = db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`).Scan(&n)
		return n
	}
	waitFor(t, 20*time.Second, "answers queued in the outbox", func() bool { return pending() >= chats })
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	if n := len(fake.Requests("sendMessage")); n != 0 {
		t.Fatalf("%d messages sent while the Bot API was down", n)
	}
	rows := map[string]int{} // chat → outbox rows
	r, err := db.Query(`SELECT chat_id FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var chat string
		if err := r.Scan(&chat); err != nil {
			t.Fatal(err)
		}
		rows[chat]++
	}
	r.Close()

	fake.Down.Store(false)
	startChild(t, e)
	waitFor(t, 30*time.Second, "pending messages delivered", func() bool { return pending() == 0 })
	time.Sleep(300 * time.Millisecond) // nothing more may come
	sent := map[string]int{}
	for _, req := range fake.Requests("sendMessage") {
		sent[req.Form.Get("chat_id")]++
	}
	t.Logf("outbox rows by chat %v, delivered %v", rows, sent)
	if len(rows) != chats {
		t.Errorf("outbox rows for %d chats, want %d", len(rows), chats)
	}
	for chat, n := range rows {
		if sent[chat] != n {
			t.Errorf("chat %s: %d messages delivered, want exactly %d", chat, sent[chat], n)
		}
	}
}

// child is a gateway subprocess.
type child struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
}

// startChild runs the test binary as `hoiphuong serve` on a free loopback
// port and waits until it answers /healthz; it is killed at the end.
func startChild(t *testing.T, e testEnv) *child {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = []string{serveChildEnv + "=1", "HTTP_ADDR=" + addr, "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range e {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("gateway output:\n%s", out.String())
		}
	})
	base := "http://" + addr
	waitFor(t, 60*time.Second, "the gateway subprocess to serve", func() bool {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return &child{cmd: cmd, base: base}
}

func postUpdate(t *testing.T, c *child, update string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+telegram.WebhookPath, strings.NewReader(update))
	req.Header.Set(telegram.SecretHeader, telegramtest.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook status %d", resp.StatusCode)
	}
}

func openReadDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=busy_timeout(5000)", path))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}
