package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/eval"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/knowledge/search"
)

// benchResult is what `bench --json` prints; README.md reports it.
type benchResult struct {
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
}

func runBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	dur := fs.Duration("duration", 5*time.Second, "length of each load step")
	clients := fs.Int("clients", 32, "concurrent clients for the API and raw Meilisearch steps")
	file := fs.String("questions", "eval/dev.jsonl", "questions to replay (eval JSONL)")
	updates := fs.Int("updates", 20000, "most Telegram updates the channel step posts (also bounded by --duration)")
	hookClients := fs.Int("webhook-clients", 40, "concurrent clients of the channel step (Telegram opens at most max_connections=40)")
	hookRate := fs.Float64("webhook-rate", 2000, "updates/s of the channel step's paced phase (0: no paced phase)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong bench [--json] [--duration 5s] [--clients 32] [--updates 20000] [--webhook-clients 40] [--webhook-rate 2000]

Measures, in one run on this machine, with a fresh data folder: the engine's
answers/s and latency over the dev questions (in process); the chat API over
loopback at --clients concurrent clients; raw Meilisearch searches of the same
strings at the same concurrency (the anchor); the full index build from empty;
the Telegram webhook (receive → persisted → 200) with the engine answering
and the outbox delivering to a local fake Bot API, each update from its own
chat so that the per-chat limit (1 msg/s) is not what is measured, first
paced at --webhook-rate (latency), then as fast as the clients go
(throughput); and the
gateway's and Meilisearch's memory. Load loops are bounded in time and
count and target only 127.0.0.1.`)
		fs.PrintDefaults()
	}
	if _, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	}
	questions, err := benchQuestions(*file)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "hoiphuong-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fake := telegramtest.Start()
	defer fake.Close()
	tgEnv := benchChannelEnv(fake.URL)
	benv := *e
	benv.getenv = func(k string) string {
		if v, ok := tgEnv[k]; ok {
			return v
		}
		switch k {
		case "DATA_DIR":
			return filepath.Join(tmp, "data")
		case "MEILI_URL", "MEILI_MASTER_KEY":
			return ""
		case "LOG_LEVEL":
			return "error"
		case "CHAT_OPEN_LIMIT", "CHAT_MESSAGE_LIMIT": // every bench client is on 127.0.0.1
			return "off"
		}
		return e.getenv(k)
	}
	a, err := openApp(ctx, &benv, appOptions{quiet: true})
	if err != nil {
		return err
	}
	defer a.close()
	progress := e.stderr
	r := benchResult{Questions: len(questions), Clients: *clients, DurationPerStep: dur.String(), CPUs: runtime.NumCPU()}

	fmt.Fprintln(progress, "bench: index build from empty…")
	fresh := search.New(a.client, "bench_", search.WithSynonyms(nil))
	st, err := fresh.Build(ctx, a.kb)
	if err != nil {
		return err
	}
	r.IndexBuildS = st.Duration.Seconds()

	fmt.Fprintln(progress, "bench: raw Meilisearch…")
	raw := runLoad(ctx, *clients, *dur, func(i int) error {
		_, err := a.index.RawSearch(ctx, search.Procedures, questions[i%len(questions)].Text, 10)
		return err
	})
	r.RawMeiliQPS, r.RawMeiliP50ms, r.RawMeiliP99ms = raw.qps(), raw.pct(50), raw.pct(99)

	fmt.Fprintln(progress, "bench: engine…")
	eng := runLoad(ctx, *clients, *dur, func(i int) error {
		q := questions[i%len(questions)]
		st := bot.State{}
		a.engine.Respond(ctx, &st, bot.Message{Text: q.Text, Location: q.Location})
		return nil
	})
	r.EngineQPS, r.EngineP50ms, r.EngineP99ms = eng.qps(), eng.pct(50), eng.pct(99)

	fmt.Fprintln(progress, "bench: chat API over loopback…")
	api, err := benchAPI(ctx, a, questions, *clients, *dur)
	if err != nil {
		return err
	}
	r.APIQPS, r.APIP50ms, r.APIP99ms = api.qps(), api.pct(50), api.pct(99)
	// The gateway's memory after serving the chat API; the channel step
	// below also holds the fake Bot API and its load generator in-process.
	r.RSSMB = float64(selfRSS()) / (1 << 20)

	fmt.Fprintln(progress, "bench: Telegram webhook → engine → outbox → fake Bot API…")
	hook, err := benchChannel(ctx, a, fake, *updates, *hookClients, *hookRate, *dur, 2*time.Minute)
	if err != nil {
		return err
	}
	r.WebhookQPS, r.WebhookP99ms, r.E2EP50ms, r.E2EP99ms = hook.QPS, hook.P99ms, hook.E2EP50ms, hook.E2EP99ms
	r.WebhookRate, r.WebhookPacedQPS, r.WebhookSaturatedP99ms = hook.Rate, hook.PacedQPS, hook.SatP99ms
	r.Lost, r.DuplicatesSent, r.WebhookUpdates, r.WebhookClients = hook.Lost, hook.Dups, hook.Updates, *hookClients
	if hook.Errors > 0 {
		fmt.Fprintf(progress, "bench: %d webhook requests failed\n", hook.Errors)
	}

	fmt.Fprintln(progress, "bench: staff console (1,000 open conversations, 168 units, 300 staff)…")
	con, err := benchConsole(ctx, a, 1000, 300, 8, *dur)
	if err != nil {
		return err
	}
	r.ConsoleQueueP50ms, r.ConsoleQueueP99ms = con.QueueP50ms, con.QueueP99ms
	r.ConsoleConversationP50ms, r.ConsoleConversationP99ms = con.ConvP50ms, con.ConvP99ms
	if con.Errors > 0 {
		fmt.Fprintf(progress, "bench: %d console requests failed\n", con.Errors)
	}

	fmt.Fprintln(progress, "bench: publish the full KB and roll it back under load…")
	pub, err := benchPublish(ctx, a, 8)
	if err != nil {
		return err
	}
	r.PublishS, r.RollbackS, r.PublishAnswers, r.PublishFailedAnswers = pub.PublishS, pub.RollbackS, pub.Answers, pub.Failed

	if r.RawMeiliQPS > 0 {
		r.RatioEngineRaw = r.EngineQPS / r.RawMeiliQPS
	}
	if r.RawMeiliP99ms > 0 {
		r.RatioAPIP99Raw = r.APIP99ms / r.RawMeiliP99ms
	}
	r.RSSAfterChannelMB = float64(selfRSS()) / (1 << 20)
	if a.meili != nil {
		if b, err := a.meili.RSSBytes(); err == nil {
			r.MeiliRSSMB = float64(b) / (1 << 20)
		}
	}
	if errs := raw.errors.Load() + eng.errors.Load() + api.errors.Load(); errs > 0 {
		fmt.Fprintf(progress, "bench: %d requests failed\n", errs)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	printBench(e.stdout, r)
	return nil
}

// benchQuestions reads every turn of an eval file as one question.
func benchQuestions(path string) ([]eval.Turn, error) {
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

// benchAPI serves the chat API on 127.0.0.1 and replays the questions
// through it: each client opens a conversation and sends one message per
// question (a new conversation every 5 messages).
func benchAPI(ctx context.Context, a *app, qs []eval.Turn, clients int, dur time.Duration) (*loadStats, error) {
	base, hc, stop, err := serveLoopback(ctx, a, clients)
	if err != nil {
		return nil, err
	}
	defer stop()
	convs := make([]benchConversation, clients)
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
func serveLoopback(ctx context.Context, a *app, clients int) (base string, hc *http.Client, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.serve(sctx, ln) }()
	hc = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}}
	return "http://" + ln.Addr().String(), hc, func() { cancel(); <-done }, nil
}

// benchConversation is a web conversation the bench talks on: its URL and
// its token.
type benchConversation struct{ id, url, token string }

// openConversation opens a web conversation on the chat API.
func openConversation(hc *http.Client, base string) (benchConversation, error) {
	resp, err := hc.Post(base+"/api/v1/conversations", "application/json", strings.NewReader(`{}`))
	if err != nil {
		return benchConversation{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return benchConversation{}, err
	}
	var s struct{ ID, Token string }
	if err := json.Unmarshal(b, &s); err != nil || resp.StatusCode != http.StatusCreated || s.Token == "" {
		return benchConversation{}, fmt.Errorf("open conversation: status %d: %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	return benchConversation{id: s.ID, url: base + "/api/v1/conversations/" + s.ID, token: s.Token}, nil
}

// postJSON posts body to the conversation's path with its token and
// returns the string field of the JSON answer.
func (c benchConversation) postJSON(hc *http.Client, path, body string, want int, field string) (string, error) {
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

func printBench(w io.Writer, r benchResult) {
	fmt.Fprintf(w, "Hỏi Phường bench — %d questions, %d CPUs, %s per step, %d clients\n\n", r.Questions, r.CPUs, r.DurationPerStep, r.Clients)
	fmt.Fprintf(w, "| measure | value |\n|---|---|\n")
	fmt.Fprintf(w, "| engine answers/s (in process) | %.0f |\n| engine p50 / p99 | %.2f ms / %.2f ms |\n", r.EngineQPS, r.EngineP50ms, r.EngineP99ms)
	fmt.Fprintf(w, "| chat API requests/s (loopback) | %.0f |\n| chat API p50 / p99 | %.2f ms / %.2f ms |\n", r.APIQPS, r.APIP50ms, r.APIP99ms)
	fmt.Fprintf(w, "| raw Meilisearch searches/s | %.0f |\n| raw Meilisearch p50 / p99 | %.2f ms / %.2f ms |\n", r.RawMeiliQPS, r.RawMeiliP50ms, r.RawMeiliP99ms)
	fmt.Fprintf(w, "| engine ÷ raw throughput | %.2f (target ≥ 0.50) |\n| API p99 ÷ raw p99 | %.2f (target ≤ 1.50) |\n", r.RatioEngineRaw, r.RatioAPIP99Raw)
	fmt.Fprintf(w, "| index build from empty | %.2f s (target < 3 s) |\n", r.IndexBuildS)
	fmt.Fprintf(w, "| Telegram webhook updates/s, saturated (%d updates in all, %d clients, 1 chat each) | %.0f (target ≥ 2000) |\n| webhook p99 saturated (mostly queueing: clients ÷ updates/s) | %.2f ms |\n",
		r.WebhookUpdates, r.WebhookClients, r.WebhookQPS, r.WebhookSaturatedP99ms)
	fmt.Fprintf(w, "| webhook p99 (receive → persisted → 200) paced at %.0f updates/s (%.0f accepted/s) | %.2f ms (target < 20 ms) |\n",
		r.WebhookRate, r.WebhookPacedQPS, r.WebhookP99ms)
	fmt.Fprintf(w, "| inbound → answer delivered p50 / p99 | %.2f ms / %.2f ms |\n| lost / duplicates sent | %d / %d (must be 0 / 0) |\n",
		r.E2EP50ms, r.E2EP99ms, r.Lost, r.DuplicatesSent)
	fmt.Fprintf(w, "| console queue page p50 / p99 (1,000 open chats, 168 units, 300 staff) | %.2f ms / %.2f ms (target p99 < 50 ms) |\n", r.ConsoleQueueP50ms, r.ConsoleQueueP99ms)
	fmt.Fprintf(w, "| console conversation page p50 / p99 | %.2f ms / %.2f ms (target p99 < 50 ms) |\n", r.ConsoleConversationP50ms, r.ConsoleConversationP99ms)
	fmt.Fprintf(w, "| publish draft → live (full KB) / rollback | %.2f s / %.2f s |\n| answers failed or empty during publish + rollback | %d of %d (must be 0) |\n",
		r.PublishS, r.RollbackS, r.PublishFailedAnswers, r.PublishAnswers)
	fmt.Fprintf(w, "| gateway RSS after the chat API step | %.0f MB (target < 150 MB) |\n| Meilisearch RSS | %.0f MB |\n", r.RSSMB, r.MeiliRSSMB)
	fmt.Fprintf(w, "| process RSS after the channel step (incl. fake Bot API + load generator) | %.0f MB |\n", r.RSSAfterChannelMB)
}
