package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
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
	e := telegramEnv(t, fake)
	dbPath := dbLocation(e)

	first := startChild(t, e)
	const chats = 5
	for i := range chats {
		postUpdate(t, first.base, telegramtest.TextUpdate(100+i, int64(8800+i), "phường 5 quận 3"))
	}
	db := openReadDB(t, dbPath)
	pending := func() (n int) {
		_ = db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')`).Scan(&n)
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
	c := launchChild(t, e)
	c.waitServing(t)
	return c
}

// launchChild starts the test binary as `hoiphuong serve` on a free
// loopback port without waiting for it; it is killed at the end.
func launchChild(t *testing.T, e testEnv) *child {
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
	return &child{cmd: cmd, base: "http://" + addr}
}

// waitServing waits until the child answers /healthz.
func (c *child) waitServing(t *testing.T) {
	t.Helper()
	waitFor(t, 90*time.Second, "the gateway subprocess to serve", func() bool {
		resp, err := http.Get(c.base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// openReadDB opens the gateway's database at loc (dbLocation) through a
// connection of its own, closed when t ends: the SQLite file as it is on
// disk (no migration, no checkpoint), or the Postgres database.
func openReadDB(t *testing.T, loc string) *sql.DB {
	t.Helper()
	if strings.HasPrefix(loc, "postgres://") {
		return sqldbtest.OpenAt(t, loc)
	}
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=busy_timeout(5000)", loc))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestKilledWithSendsInFlightHold kills the gateway (SIGKILL) while the Bot
// API holds its sends open: the platform has those messages, the database
// says they were in flight. With OUTBOX_IN_DOUBT=hold the restarted gateway
// does not send them again, counts and holds them (/metrics), delivers the
// rest, and `hoiphuong outbox` lists them and lets staff resend or drop
// them.
func TestKilledWithSendsInFlightHold(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the gateway twice as a subprocess")
	}
	t.Parallel()
	fake := telegramtest.New(t)
	fake.SendDelay.Store(int64(time.Minute)) // recorded, then held open until the gateway dies
	e := telegramEnv(t, fake)
	e["OUTBOX_IN_DOUBT"] = "hold"
	db := openReadDB(t, dbLocation(e))
	count := func(where string) (n int) {
		_ = db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE ` + where).Scan(&n)
		return n
	}

	first := startChild(t, e)
	const chats = 3
	for i := range chats {
		postUpdate(t, first.base, telegramtest.TextUpdate(100+i, int64(8900+i), "phường 5 quận 3"))
	}
	fake.WaitFor(t, "sendMessage", chats, 30*time.Second) // one in flight per chat
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	if n := count(`status = 'sending'`); n != chats {
		t.Fatalf("%d rows in flight at the kill, want %d", n, chats)
	}
	inFlight := map[string]bool{} // chat/text the platform has
	for _, r := range fake.Requests("sendMessage") {
		inFlight[r.Form.Get("chat_id")+"/"+r.Form.Get("text")] = true
	}
	rows := count(`1 = 1`)

	fake.SendDelay.Store(0)
	second := startChild(t, e)
	metrics := func() string {
		resp, err := http.Get(second.base + "/metrics")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	waitFor(t, 30*time.Second, "the rest delivered", func() bool { return count(`status IN ('pending', 'sending')`) == 0 })
	waitFor(t, 10*time.Second, "the in-doubt metrics", func() bool {
		m := metrics()
		return strings.Contains(m, `hoiphuong_outbox_in_doubt_total{channel="telegram",policy="hold"} 3`) &&
			strings.Contains(m, `hoiphuong_outbox_held{channel="telegram"} 3`)
	})
	time.Sleep(300 * time.Millisecond) // nothing more may come
	delivered := map[string]int{}
	for _, r := range fake.Requests("sendMessage") {
		delivered[r.Form.Get("chat_id")+"/"+r.Form.Get("text")]++
	}
	if n := len(fake.Requests("sendMessage")); n != rows {
		t.Errorf("%d messages delivered in all for %d outbox rows, want each once", n, rows)
	}
	for m, n := range delivered {
		if n != 1 {
			t.Errorf("delivered %d times: %.60q", n, m)
		}
	}
	if n := count(`status = 'in_doubt'`); n != chats {
		t.Errorf("%d rows held, want %d", n, chats)
	}

	list := runCLI(t, e, "outbox", "list")
	if list.code != 0 || strings.Count(list.stdout, "telegram") != chats || !strings.Contains(list.stdout, "8900") {
		t.Fatalf("outbox list: exit %d\n%s%s", list.code, list.stdout, list.stderr)
	}
	var ids []string
	r, err := db.Query(`SELECT id FROM outbox WHERE status = 'in_doubt' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var id string
		_ = r.Scan(&id)
		ids = append(ids, id)
	}
	r.Close()
	if res := runCLI(t, e, "outbox", "resend", ids[0]); res.code != 0 || res.stdout != "resent "+ids[0]+"\n" {
		t.Errorf("outbox resend: exit %d %q %q", res.code, res.stdout, res.stderr)
	}
	if res := runCLI(t, e, "outbox", "drop", ids[1], ids[1]); res.code != 1 || !strings.Contains(res.stderr, "no message held in doubt") {
		t.Errorf("outbox drop of one id twice: exit %d %q %q, want the second refused", res.code, res.stdout, res.stderr)
	}
	fake.WaitFor(t, "sendMessage", rows+1, 10*time.Second) // the resent one, by the running gateway
	waitFor(t, 10*time.Second, "one held", func() bool {
		return strings.Contains(metrics(), `hoiphuong_outbox_held{channel="telegram"} 1`)
	})
}
