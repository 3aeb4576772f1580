package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

// TestKilledMidHandoff kills the gateway (SIGKILL) in the middle of a
// handoff — three Telegram chats queued at one ward, the first claimed and
// answered by staff while the Bot API is down — and restarts it on the same
// DATA_DIR: the queue keeps its order, the claim its owner, and the staff
// reply that could not leave is delivered exactly once.
func TestKilledMidHandoff(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the gateway twice as a subprocess")
	}
	t.Parallel()
	fake := telegramtest.New(t)
	fake.Down.Store(true)
	e := telegramEnv(t, fake)
	e["HP_ADMIN_PASSWORD"] = "mat-khau-can-bo"
	if code := run(t.Context(), []string{"admin", "create-user", "--username", "lan", "--name", "Trần Thị Lan", "--role", "staff", "--units", "27154"},
		e.getenv, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
		t.Fatalf("admin create-user exit %d", code)
	}
	db := openReadDB(t, dbLocation(e))

	first := startChild(t, e)
	chats := []int64{7701, 7702, 7703}
	for i, chat := range chats {
		postUpdate(t, first.base, telegramtest.TextUpdate(200+2*i, chat, "phường 5 quận 3"))
		postUpdate(t, first.base, telegramtest.TextUpdate(201+2*i, chat, "cho tôi gặp cán bộ"))
		waitFor(t, 20*time.Second, "the chat queued", func() bool {
			var n int
			_ = db.QueryRow(`SELECT COUNT(*) FROM handoff_requests WHERE status = 'open'`).Scan(&n)
			return n == i+1
		})
	}
	queue := func() (out []string) {
		rows, err := db.Query(`SELECT c.external_id || ':' || h.status FROM handoff_requests h
			JOIN conversations c ON c.id = h.conversation_id ORDER BY h.created_at, h.id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	var firstConv string
	if err := db.QueryRow(`SELECT id FROM conversations WHERE external_id = ?`, fmt.Sprint(chats[0])).Scan(&firstConv); err != nil {
		t.Fatal(err)
	}

	staffPage := consoleLogin(t, first.base, "lan", "mat-khau-can-bo")
	staffPage.post(t, "/console/c/"+firstConv+"/claim", nil)
	const reply = "Chào anh, cán bộ phường Bàn Cờ đây. Anh mang CCCD đến bộ phận một cửa nhé."
	staffPage.post(t, "/console/c/"+firstConv+"/reply", url.Values{"text": {reply}})
	waitFor(t, 10*time.Second, "the staff reply in the outbox", func() bool {
		var n int
		_ = db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE update_key LIKE 'staff:%' AND status IN ('pending', 'sending')`).Scan(&n)
		return n == 1
	})
	before := queue()
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()

	fake.Down.Store(false)
	second := startChild(t, e)
	if after := queue(); strings.Join(after, " ") != strings.Join(before, " ") ||
		strings.Join(after, " ") != "7701:assigned 7702:open 7703:open" {
		t.Errorf("queue after the restart = %v, before %v; want 7701 owned, then 7702 and 7703 waiting in order", after, before)
	}
	var owner string
	if err := db.QueryRow(`SELECT assignee_name FROM handoff_requests WHERE conversation_id = ?`, firstConv).Scan(&owner); err != nil || owner != "Trần Thị Lan" {
		t.Errorf("owner after the restart = %q (%v)", owner, err)
	}
	fake.WaitFor(t, "sendMessage", 1, 30*time.Second)
	waitFor(t, 30*time.Second, "the outbox drained", func() bool {
		var n int
		_ = db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')`).Scan(&n)
		return n == 0
	})
	time.Sleep(300 * time.Millisecond) // nothing more may come
	delivered := 0
	for _, r := range fake.Requests("sendMessage") {
		if r.Form.Get("chat_id") == fmt.Sprint(chats[0]) && strings.Contains(r.Form.Get("text"), "CCCD đến bộ phận một cửa") {
			delivered++
		}
	}
	if delivered != 1 {
		t.Errorf("staff reply delivered %d times, want exactly once", delivered)
	}
	// The console still works for the staff member after the restart.
	staffPage = consoleLogin(t, second.base, "lan", "mat-khau-can-bo")
	if body := staffPage.get(t, "/console"); !strings.Contains(body, "HP-000001") || !strings.Contains(body, "HP-000003") {
		t.Errorf("queue page after the restart lacks the tickets")
	}
}

// consoleSession is a staff member's browser: cookies and the CSRF token.
type consoleSession struct {
	base string
	hc   *http.Client
	csrf string
}

// consoleLogin signs in through the login form, as a browser would.
func consoleLogin(t *testing.T, base, user, password string) *consoleSession {
	t.Helper()
	s := &consoleSession{base: base, hc: stafftest.Login(t, base, user, password)}
	if s.csrf = stafftest.CSRF(s.get(t, "/console")); s.csrf == "" {
		t.Fatal("no CSRF token on the queue page")
	}
	return s
}

func (s *consoleSession) get(t *testing.T, path string) string {
	t.Helper()
	r := stafftest.Send(t, s.hc, http.MethodGet, s.base+path, "", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, r.Status)
	}
	return r.Body
}

// post submits a console form: 303 back to a page, no error message there.
func (s *consoleSession) post(t *testing.T, path string, v url.Values) {
	t.Helper()
	if v == nil {
		v = url.Values{}
	}
	v.Set("csrf", s.csrf)
	r := stafftest.Form(t, s.hc, http.MethodPost, s.base+path, v, nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d\n%s", path, r.Status, r.Body)
	}
}
