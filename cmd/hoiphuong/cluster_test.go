package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/pgtest"
)

// TestClusterSurvivesAKilledGateway starts three gateway processes at once
// on one empty Postgres and one Meilisearch, on loopback: the KB is seeded
// once. A ward clerk watches the
// queue on gateway 1 while a citizen's request for staff arrives on
// gateway 3: it shows up live. Then a burst of Telegram updates from many
// chats is spread over the three (a chat's updates over all of them), and
// gateway 3 is killed (SIGKILL) mid-burst; an update it did not
// acknowledge is delivered again to another gateway, as Telegram retries.
// Every acknowledged update is answered once and delivered, each chat's
// answers in order; a message delivered twice is one of the in-doubt
// sends the survivors counted.
func TestClusterSurvivesAKilledGateway(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three gateways as subprocesses")
	}
	t.Parallel()
	fake := telegramtest.New(t)
	fake.SendDelay.Store(int64(200 * time.Millisecond)) // sends are in flight at the kill
	e := telegramEnv(t, fake)
	e["DATABASE_URL"] = pgtest.URL(t)
	e["LEASE_TTL"] = "2s" // a killed gateway's work is taken over after this
	e["HP_ADMIN_PASSWORD"] = "mat-khau-can-bo"
	if r := runCLI(t, e, "admin", "create-user", "--username", "lan", "--name", "Trần Thị Lan", "--role", "staff", "--units", "27154"); r.code != 0 {
		t.Fatalf("create the clerk: %s%s", r.stdout, r.stderr)
	}
	var gws []*child
	for range 3 { // all at once on an empty database, as a deployment starts
		ge := maps.Clone(e)
		ge["DATA_DIR"] = t.TempDir()
		gws = append(gws, launchChild(t, ge))
	}
	for _, g := range gws {
		g.waitServing(t)
	}
	db, err := sqldb.OpenPostgres(t.Context(), e["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var versions int
	if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM kb_versions WHERE status = 'published'`).Scan(&versions); err != nil || versions != 1 {
		t.Errorf("%d KB versions after three gateways started together (%v), want the seed once", versions, err)
	}

	// The clerk's queue on gateway 1; the request reaches gateway 3.
	clerk := browsertest.New(t, 90*time.Second)
	browsertest.Do(t, clerk, browsertest.EmulatePhone())
	login(t, clerk, gws[0].base, "lan")
	postUpdate(t, gws[2].base, telegramtest.TextUpdate(1, 7700, "phường 5 quận 3"))
	postUpdate(t, gws[2].base, telegramtest.TextUpdate(2, 7700, "cho em gặp cán bộ phường"))
	browsertest.Run(t, clerk, chromedp.Poll[bool](`document.getElementById('live').textContent.includes('Telegram')`,
		chromedp.WithPollingTimeout(20*time.Second)))

	// The burst. The gateway killed is the one sending Telegram's
	// messages (the holder of its send lease, named by its pid): its sends
	// in flight are left in doubt, its lease must expire, and the chats it
	// was answering must be taken over.
	var holder string
	if err := db.QueryRowContext(t.Context(), `SELECT holder FROM leases WHERE name = 'outbox:telegram'`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	victim := -1
	for i, g := range gws {
		if strings.Contains(holder, fmt.Sprintf("-%d-", g.cmd.Process.Pid)) {
			victim = i
		}
	}
	if victim < 0 {
		t.Fatalf("no gateway holds the send lease %q", holder)
	}
	texts := []string{"xin chào", "phường 5 quận 3", "làm giấy khai sinh cần mang gì", "lệ phí bao nhiêu"}
	const chats = 30
	total := chats * len(texts)
	var posted atomic.Int64
	var kill sync.Once
	var wg sync.WaitGroup
	for c := range chats {
		wg.Go(func() {
			for k, text := range texts {
				update := telegramtest.TextUpdate(1000+c*10+k, int64(8000+c), text)
				if !deliver(gws, c+k, update) {
					t.Errorf("chat %d update %d: no gateway acknowledged it", c, k)
					return
				}
				if posted.Add(1) == int64(total/3) {
					kill.Do(func() { _ = gws[victim].cmd.Process.Signal(syscall.SIGKILL) })
				}
			}
		})
	}
	wg.Wait()
	_ = gws[victim].cmd.Wait()

	count := func(query string) (n int) {
		if err := db.QueryRowContext(t.Context(), query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitFor(t, 90*time.Second, "every update answered and delivered", func() bool {
		return count(`SELECT COUNT(*) FROM messages m WHERE m.direction = 'in' AND NOT EXISTS
				(SELECT 1 FROM messages r WHERE r.reply_to = m.id)`) == 0 &&
			count(`SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')`) == 0
	})
	time.Sleep(500 * time.Millisecond) // a late duplicate would arrive now
	if n := count(`SELECT COUNT(*) FROM messages WHERE direction = 'in' AND conversation_id IN
			(SELECT id FROM conversations WHERE channel = 'telegram' AND external_id LIKE '80%')`); n != total {
		t.Errorf("%d updates stored, want %d (each acknowledged once)", n, total)
	}
	if n := count(`SELECT COUNT(*) FROM outbox WHERE status <> 'sent'`); n != 0 {
		t.Errorf("%d outbox rows not sent", n)
	}

	// Each chat's deliveries, in order, against its outbox rows in the
	// order of the updates they answer.
	want := map[string][]string{}
	rows, err := db.QueryContext(t.Context(), `SELECT chat_id, update_key, chunk, body_json FROM outbox WHERE channel = 'telegram'`)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		chat      string
		in, chunk int
	}
	bodies := map[key]string{}
	for rows.Next() {
		var chat, update, body string
		var chunk int
		if err := rows.Scan(&chat, &update, &chunk, &body); err != nil {
			t.Fatal(err)
		}
		in, _ := strconv.Atoi(strings.TrimPrefix(update, "in:"))
		bodies[key{chat, in, chunk}] = textOf(body)
	}
	rows.Close()
	for _, k := range slices.SortedFunc(maps.Keys(bodies), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.in, b.in), cmp.Compare(a.chunk, b.chunk))
	}) {
		want[k.chat] = append(want[k.chat], bodies[k])
	}
	got := map[string][]string{}
	for _, r := range fake.Requests("sendMessage") {
		got[r.Form.Get("chat_id")] = append(got[r.Form.Get("chat_id")], r.Form.Get("text"))
	}
	duplicates := 0
	for chat, w := range want {
		first, extra := firstOccurrences(got[chat])
		duplicates += extra
		if strings.Join(first, "\x00") != strings.Join(w, "\x00") {
			t.Errorf("chat %s: delivered %d distinct messages out of order or missing; want %d in the order of the updates", chat, len(first), len(w))
		}
	}
	inDoubt := 0
	for i, g := range gws {
		if i != victim {
			inDoubt += metricSum(t, g.base, `hoiphuong_outbox_in_doubt_total{channel="telegram"`)
		}
	}
	t.Logf("%d updates over 3 gateways, gateway %d (the sender) killed after %d: %d duplicate deliveries, %d in-doubt sends counted",
		total, victim+1, total/3, duplicates, inDoubt)
	if duplicates > inDoubt {
		t.Errorf("%d messages delivered twice, but only %d sends were counted in doubt", duplicates, inDoubt)
	}
}

// deliver posts a Telegram update to the gateways from the one at start,
// going on to the next when one does not acknowledge it (killed), as
// Telegram redelivers; it reports whether one acknowledged it.
func deliver(gws []*child, start int, update string) bool {
	for try := range 2 * len(gws) {
		g := gws[(start+try)%len(gws)]
		req, _ := http.NewRequest(http.MethodPost, g.base+telegram.WebhookPath, strings.NewReader(update))
		req.Header.Set(telegram.SecretHeader, telegramtest.Secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return true
		}
	}
	return false
}

// firstOccurrences returns xs without repeats (first occurrences, in
// order) and how many repeats there were.
func firstOccurrences(xs []string) (first []string, repeats int) {
	seen := map[string]bool{}
	for _, x := range xs {
		if seen[x] {
			repeats++
			continue
		}
		seen[x] = true
		first = append(first, x)
	}
	return first, repeats
}

// metricSum adds the values of the /metrics lines starting with prefix.
func metricSum(t *testing.T, base, prefix string) int {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	sum := 0
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, prefix) {
			if m := regexp.MustCompile(`} (\d+)$`).FindStringSubmatch(line); m != nil {
				n, _ := strconv.Atoi(m[1])
				sum += n
			}
		}
	}
	return sum
}

// textOf is the text of an outbox row's body (outbox.OutMessage JSON).
func textOf(body string) string {
	var m struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return fmt.Sprintf("undecodable body %q", body)
	}
	return m.Text
}
