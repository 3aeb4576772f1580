// Package bench is what `hoiphuong bench` measures on the wired gateway
// (cmd/hoiphuong hands it over as a Gateway): the engine, raw Meilisearch,
// the chat API over loopback, the index build, the Telegram webhook path
// to a fake Bot API, the staff console and a publish under load. The
// figures go to README.md; nothing here is a pass/fail test.
package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/eval"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/publish"
	"github.com/hoiphuong/hoiphuong/knowledge/search"
	"github.com/meilisearch/meilisearch-go"
)

// Result is what `bench --json` prints; README.md reports it.
type Result struct {
	Questions      int     `json:"questions"`
	EngineQPS      float64 `json:"engine_qps"`
	EngineP50ms    float64 `json:"engine_p50_ms"`
	EngineP99ms    float64 `json:"engine_p99_ms"`
	APIQPS         float64 `json:"api_qps"`
	APIP50ms       float64 `json:"api_p50_ms"`
	APIP99ms       float64 `json:"api_p99_ms"`
	RawMeiliQPS    float64 `json:"raw_meili_qps"`
	RawMeiliP50ms  float64 `json:"raw_meili_p50_ms"`
	RawMeiliP99ms  float64 `json:"raw_meili_p99_ms"`
	RatioEngineRaw float64 `json:"ratio_engine_to_raw"`
	RatioAPIP99Raw float64 `json:"ratio_api_p99_to_raw_p99"`
	IndexBuildS    float64 `json:"index_build_s"`
	RSSMB          float64 `json:"rss_mb"`
	MeiliRSSMB     float64 `json:"meili_rss_mb"`
	// RSSAfterChannelMB includes the in-process fake Bot API, the webhook
	// load generator and the backlog it queued.
	RSSAfterChannelMB float64 `json:"rss_after_channel_step_mb"`
	// WebhookQPS is the saturation phase (clients as fast as they go);
	// WebhookP99ms the paced phase at WebhookRate updates/s.
	WebhookQPS            float64 `json:"webhook_qps"`
	WebhookP99ms          float64 `json:"webhook_p99_ms"`
	WebhookRate           float64 `json:"webhook_rate"`
	WebhookPacedQPS       float64 `json:"webhook_paced_qps"`
	WebhookSaturatedP99ms float64 `json:"webhook_saturated_p99_ms"`
	E2EP50ms              float64 `json:"e2e_p50_ms"`
	E2EP99ms              float64 `json:"e2e_p99_ms"`
	Lost                  int     `json:"lost"`
	DuplicatesSent        int     `json:"duplicates_sent"`
	WebhookUpdates        int     `json:"webhook_updates"`
	WebhookClients        int     `json:"webhook_clients"`
	// WebhookLoad is where the load generator ran: "process" (its own) or
	// "inline" (the gateway's, sharing its scheduler).
	WebhookLoad string `json:"webhook_load"`
	// The staff console with 1,000 open conversations over the 168 units
	// and 300 staff members (bench_console.go).
	ConsoleQueueP50ms        float64 `json:"console_queue_p50_ms"`
	ConsoleQueueP99ms        float64 `json:"console_queue_p99_ms"`
	ConsoleConversationP50ms float64 `json:"console_conversation_p50_ms"`
	ConsoleConversationP99ms float64 `json:"console_conversation_p99_ms"`
	// Publishing the editors' draft (the full KB) and rolling it back while
	// 8 chat-API clients keep asking (bench_publish.go).
	PublishS             float64 `json:"publish_s"`
	RollbackS            float64 `json:"rollback_s"`
	PublishAnswers       int64   `json:"publish_answers"`
	PublishFailedAnswers int64   `json:"publish_failed_answers"`
	Clients              int     `json:"clients"`
	DurationPerStep      string  `json:"duration_per_step"`
	CPUs                 int     `json:"cpus"`
	GoMaxProcs           int     `json:"gomaxprocs"`
	Database             string  `json:"database"` // sqlite | postgres
}

// Gateway is the wired gateway a bench drives (cmd/hoiphuong builds it
// from its app): the HTTP server and the parts each step measures.
type Gateway struct {
	Serve     func(ctx context.Context, ln net.Listener) error // serves until ctx ends
	Engine    *bot.Engine
	KB        *knowledge.KB
	Meili     meilisearch.ServiceManager
	Index     *search.Index
	MeiliRSS  func() (int64, error) // nil: Meilisearch is not this gateway's child
	Telegram  *telegram.Channel     // configured against Options.Fake
	Outbox    *outbox.Outbox
	DB        *sql.DB
	Conv      *botstore.Store
	Desk      *handoff.Desk
	Publisher *publish.Publisher
	KBStore   *kbstore.Store
}

// Options are a run's questions and load.
type Options struct {
	Questions      []eval.Turn
	Clients        int           // concurrent clients of the API and raw Meilisearch steps
	Duration       time.Duration // each load step
	Updates        int           // most Telegram updates of the channel step
	WebhookClients int
	WebhookRate    float64 // updates/s of the paced phase (0: none)
	Fake           *telegramtest.Server
	// LoadCommand runs the webhook load generator in its own process
	// (ChannelOptions.LoadCommand); nil: in the gateway's.
	LoadCommand []string
	Progress    io.Writer
	// Steps are the steps to run, by name (StepNames); nil: every one.
	Steps map[string]bool
}

// StepNames returns the bench's steps, in the order they run.
func StepNames() []string {
	return []string{"index", "meili", "engine", "api", "webhook", "console", "publish"}
}

func (o Options) step(name string) bool { return o.Steps == nil || o.Steps[name] }

// Run measures every step on g, in one run on this machine.
func Run(ctx context.Context, g *Gateway, o Options) (Result, error) {
	r := Result{Questions: len(o.Questions), Clients: o.Clients, DurationPerStep: o.Duration.String(), CPUs: runtime.NumCPU(), GoMaxProcs: runtime.GOMAXPROCS(0), Database: "sqlite"}
	if sqldb.IsPostgres(g.DB) {
		r.Database = "postgres"
	}

	if o.step("index") {
		fmt.Fprintln(o.Progress, "bench: index build from empty…")
		fresh := search.New(g.Meili, "bench_", search.WithSynonyms(nil))
		st, err := fresh.Build(ctx, g.KB)
		if err != nil {
			return r, err
		}
		r.IndexBuildS = st.Duration.Seconds()
	}

	raw, eng, api := &loadStats{}, &loadStats{}, &loadStats{}
	if o.step("meili") {
		fmt.Fprintln(o.Progress, "bench: raw Meilisearch…")
		raw = runLoad(ctx, o.Clients, o.Duration, func(i int) error {
			_, err := g.Index.RawSearch(ctx, search.Procedures, o.Questions[i%len(o.Questions)].Text, 10)
			return err
		})
		r.RawMeiliQPS, r.RawMeiliP50ms, r.RawMeiliP99ms = raw.qps(), raw.pct(50), raw.pct(99)
	}

	if o.step("engine") {
		fmt.Fprintln(o.Progress, "bench: engine…")
		eng = runLoad(ctx, o.Clients, o.Duration, func(i int) error {
			q := o.Questions[i%len(o.Questions)]
			st := bot.State{}
			g.Engine.Respond(ctx, &st, bot.Message{Text: q.Text, Location: q.Location})
			return nil
		})
		r.EngineQPS, r.EngineP50ms, r.EngineP99ms = eng.qps(), eng.pct(50), eng.pct(99)
	}

	if o.step("api") {
		fmt.Fprintln(o.Progress, "bench: chat API over loopback…")
		var err error
		if api, err = chatAPI(ctx, g, o.Questions, o.Clients, o.Duration); err != nil {
			return r, err
		}
		r.APIQPS, r.APIP50ms, r.APIP99ms = api.qps(), api.pct(50), api.pct(99)
	}
	// The gateway's memory after serving the chat API; the channel step
	// below also holds the fake Bot API and its load generator in-process.
	r.RSSMB = float64(selfRSS()) / (1 << 20)

	if o.step("webhook") {
		fmt.Fprintln(o.Progress, "bench: Telegram webhook → engine → outbox → fake Bot API…")
		hook, err := Channel(ctx, g, o.Fake, ChannelOptions{Updates: o.Updates, Clients: o.WebhookClients, Rate: o.WebhookRate,
			Duration: o.Duration, Drain: 2 * time.Minute, LoadCommand: o.LoadCommand})
		if err != nil {
			return r, err
		}
		r.WebhookQPS, r.WebhookP99ms, r.E2EP50ms, r.E2EP99ms = hook.QPS, hook.P99ms, hook.E2EP50ms, hook.E2EP99ms
		r.WebhookRate, r.WebhookPacedQPS, r.WebhookSaturatedP99ms = hook.Rate, hook.PacedQPS, hook.SatP99ms
		r.Lost, r.DuplicatesSent, r.WebhookUpdates, r.WebhookClients = hook.Lost, hook.Dups, hook.Updates, o.WebhookClients
		r.WebhookLoad = "inline"
		if len(o.LoadCommand) > 0 {
			r.WebhookLoad = "process"
		}
		if hook.Errors > 0 {
			fmt.Fprintf(o.Progress, "bench: %d webhook requests failed\n", hook.Errors)
		}
	}

	if o.step("console") {
		fmt.Fprintln(o.Progress, "bench: staff console (1,000 open conversations, 168 units, 300 staff)…")
		con, err := Console(ctx, g, 1000, 300, 8, o.Duration)
		if err != nil {
			return r, err
		}
		r.ConsoleQueueP50ms, r.ConsoleQueueP99ms = con.QueueP50ms, con.QueueP99ms
		r.ConsoleConversationP50ms, r.ConsoleConversationP99ms = con.ConvP50ms, con.ConvP99ms
		if con.Errors > 0 {
			fmt.Fprintf(o.Progress, "bench: %d console requests failed\n", con.Errors)
		}
	}

	if o.step("publish") {
		fmt.Fprintln(o.Progress, "bench: publish the full KB and roll it back under load…")
		pub, err := Publish(ctx, g, 8)
		if err != nil {
			return r, err
		}
		r.PublishS, r.RollbackS, r.PublishAnswers, r.PublishFailedAnswers = pub.PublishS, pub.RollbackS, pub.Answers, pub.Failed
	}

	if r.RawMeiliQPS > 0 {
		r.RatioEngineRaw = r.EngineQPS / r.RawMeiliQPS
	}
	if r.RawMeiliP99ms > 0 {
		r.RatioAPIP99Raw = r.APIP99ms / r.RawMeiliP99ms
	}
	r.RSSAfterChannelMB = float64(selfRSS()) / (1 << 20)
	if g.MeiliRSS != nil {
		if b, err := g.MeiliRSS(); err == nil {
			r.MeiliRSSMB = float64(b) / (1 << 20)
		}
	}
	if errs := raw.errors.Load() + eng.errors.Load() + api.errors.Load(); errs > 0 {
		fmt.Fprintf(o.Progress, "bench: %d requests failed\n", errs)
	}
	return r, nil
}

// Questions reads every turn of an eval file as one question.
func Questions(path string) ([]eval.Turn, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cases, err := eval.Read(f)
	if err != nil {
		return nil, err
	}
	var qs []eval.Turn
	for _, c := range cases {
		for _, t := range c.Turns {
			if t.Text != "" {
				qs = append(qs, t)
			}
		}
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s: no questions", path)
	}
	return qs, nil
}

// chatAPI serves the chat API on 127.0.0.1 and replays the questions
// through it: each client opens a conversation and sends one message per
// question (a new conversation every 5 messages).
func chatAPI(ctx context.Context, g *Gateway, qs []eval.Turn, clients int, dur time.Duration) (*loadStats, error) {
	base, hc, stop, err := serveLoopback(ctx, g, clients)
	if err != nil {
		return nil, err
	}
	defer stop()
	convs := make([]conversation, clients)
	var mu sync.Mutex
	stats := runLoad(ctx, clients, dur, func(i int) error {
		w := i % clients
		mu.Lock()
		c := convs[w]
		mu.Unlock()
		if c.id == "" || (i/clients)%5 == 0 {
			var err error
			if c, err = openConversation(hc, base); err != nil {
				return err
			}
			mu.Lock()
			convs[w] = c
			mu.Unlock()
		}
		body, _ := json.Marshal(map[string]string{"text": qs[i%len(qs)].Text})
		_, err := c.postJSON(hc, "/messages", string(body), http.StatusOK, "kind")
		return err
	})
	return stats, nil
}

// serveLoopback serves the gateway on 127.0.0.1 for a bench step and
// returns its base URL, an HTTP client for clients concurrent clients and
// a function that stops the server and waits for it.
func serveLoopback(ctx context.Context, g *Gateway, clients int) (base string, hc *http.Client, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- g.Serve(sctx, ln) }()
	hc = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}}
	return "http://" + ln.Addr().String(), hc, func() { cancel(); <-done }, nil
}

// conversation is a web conversation the bench talks on: its URL and
// its token.
type conversation struct{ id, url, token string }

// openConversation opens a web conversation on the chat API.
func openConversation(hc *http.Client, base string) (conversation, error) {
	resp, err := hc.Post(base+"/api/v1/conversations", "application/json", strings.NewReader(`{}`))
	if err != nil {
		return conversation{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return conversation{}, err
	}
	var s struct{ ID, Token string }
	if err := json.Unmarshal(b, &s); err != nil || resp.StatusCode != http.StatusCreated || s.Token == "" {
		return conversation{}, fmt.Errorf("open conversation: status %d: %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	return conversation{id: s.ID, url: base + "/api/v1/conversations/" + s.ID, token: s.Token}, nil
}

// postJSON posts body to the conversation's path with its token and
// returns the string field of the JSON answer.
func (c conversation) postJSON(hc *http.Client, path, body string, want int, field string) (string, error) {
	req, err := http.NewRequest(http.MethodPost, c.url+path, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != want {
		return "", fmt.Errorf("%s: status %d: %s", c.url+path, resp.StatusCode, bytes.TrimSpace(b))
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return "", err
	}
	s, _ := m[field].(string)
	return s, nil
}

// loadStats collects latencies of one load step.
type loadStats struct {
	elapsed time.Duration
	lat     []time.Duration
	errors  atomic.Int64
}

func (s *loadStats) qps() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(len(s.lat)) / s.elapsed.Seconds()
}

func (s *loadStats) pct(p float64) float64 {
	if len(s.lat) == 0 {
		return 0
	}
	i := int(float64(len(s.lat)-1) * p / 100)
	return float64(s.lat[i].Microseconds()) / 1000
}

// maxOpsPerStep bounds a load step by count as well as by time.
const maxOpsPerStep = 2_000_000

// runLoad calls fn from workers goroutines until dur has passed (or the
// count bound is hit), recording each call's latency.
func runLoad(ctx context.Context, workers int, dur time.Duration, fn func(i int) error) *loadStats {
	s := &loadStats{}
	var next atomic.Int64
	per := make([][]time.Duration, workers)
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if i >= maxOpsPerStep {
					return
				}
				t0 := time.Now()
				if err := fn(i); err != nil {
					s.errors.Add(1)
					continue
				}
				per[w] = append(per[w], time.Since(t0))
			}
		}(w)
	}
	wg.Wait()
	s.elapsed = time.Since(start)
	for _, p := range per {
		s.lat = append(s.lat, p...)
	}
	sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	return s
}

// selfRSS is this process's resident memory (Linux), 0 when unknown.
func selfRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:")), &kb)
			return kb << 10
		}
	}
	return 0
}

func Print(w io.Writer, r Result) {
	fmt.Fprintf(w, "Hỏi Phường bench — %d questions, %d CPUs (GOMAXPROCS %d), %s per step, %d clients, %s\n\n", r.Questions, r.CPUs, r.GoMaxProcs, r.DurationPerStep, r.Clients, r.Database)
	fmt.Fprintf(w, "| measure | value |\n|---|---|\n")
	fmt.Fprintf(w, "| engine answers/s (in process) | %.0f |\n| engine p50 / p99 | %.2f ms / %.2f ms |\n", r.EngineQPS, r.EngineP50ms, r.EngineP99ms)
	fmt.Fprintf(w, "| chat API requests/s (loopback) | %.0f |\n| chat API p50 / p99 | %.2f ms / %.2f ms |\n", r.APIQPS, r.APIP50ms, r.APIP99ms)
	fmt.Fprintf(w, "| raw Meilisearch searches/s | %.0f |\n| raw Meilisearch p50 / p99 | %.2f ms / %.2f ms |\n", r.RawMeiliQPS, r.RawMeiliP50ms, r.RawMeiliP99ms)
	fmt.Fprintf(w, "| engine ÷ raw throughput | %.2f (target ≥ 0.50) |\n| API p99 ÷ raw p99 | %.2f (target ≤ 1.50) |\n", r.RatioEngineRaw, r.RatioAPIP99Raw)
	fmt.Fprintf(w, "| index build from empty | %.2f s (target < 3 s) |\n", r.IndexBuildS)
	fmt.Fprintf(w, "| Telegram webhook updates/s, saturated (%d updates in all, %d clients, 1 chat each) | %.0f (target ≥ 2000) |\n| webhook p99 saturated (mostly queueing: clients ÷ updates/s) | %.2f ms |\n",
		r.WebhookUpdates, r.WebhookClients, r.WebhookQPS, r.WebhookSaturatedP99ms)
	fmt.Fprintf(w, "| webhook p99 (receive → persisted → 200) paced at %.0f updates/s (%.0f accepted/s), load generator %s | %.2f ms (target < 20 ms) |\n",
		r.WebhookRate, r.WebhookPacedQPS, r.WebhookLoad, r.WebhookP99ms)
	fmt.Fprintf(w, "| inbound → answer delivered p50 / p99 | %.2f ms / %.2f ms |\n| lost / duplicates sent | %d / %d (must be 0 / 0) |\n",
		r.E2EP50ms, r.E2EP99ms, r.Lost, r.DuplicatesSent)
	fmt.Fprintf(w, "| console queue page p50 / p99 (1,000 open chats, 168 units, 300 staff) | %.2f ms / %.2f ms (target p99 < 50 ms) |\n", r.ConsoleQueueP50ms, r.ConsoleQueueP99ms)
	fmt.Fprintf(w, "| console conversation page p50 / p99 | %.2f ms / %.2f ms (target p99 < 50 ms) |\n", r.ConsoleConversationP50ms, r.ConsoleConversationP99ms)
	fmt.Fprintf(w, "| publish draft → live (full KB) / rollback | %.2f s / %.2f s |\n| answers failed or empty during publish + rollback | %d of %d (must be 0) |\n",
		r.PublishS, r.RollbackS, r.PublishFailedAnswers, r.PublishAnswers)
	fmt.Fprintf(w, "| gateway RSS after the chat API step | %.0f MB (target < 150 MB) |\n| Meilisearch RSS | %.0f MB |\n", r.RSSMB, r.MeiliRSSMB)
	fmt.Fprintf(w, "| process RSS after the channel step (incl. fake Bot API + load generator) | %.0f MB |\n", r.RSSAfterChannelMB)
}
