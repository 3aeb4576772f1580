package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/cmd/internal/bench"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

func runBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file after the run, the gateway still open (go tool pprof)")
	dur := fs.Duration("duration", 5*time.Second, "length of each load step")
	clients := fs.Int("clients", 32, "concurrent clients for the API and raw Meilisearch steps")
	file := fs.String("questions", "eval/dev.jsonl", "questions to replay (eval JSONL)")
	updates := fs.Int("updates", 20000, "most Telegram updates the channel step posts (also bounded by --duration)")
	hookClients := fs.Int("webhook-clients", 40, "concurrent clients of the channel step (Telegram opens at most max_connections=40)")
	hookRate := fs.Float64("webhook-rate", 2000, "updates/s of the channel step's paced phase (0: no paced phase)")
	pgAdmin := fs.String("postgres", "", "measure on Postgres: a throwaway database is created in the cluster at this URL (of a database to connect to, e.g. postgres://postgres@127.0.0.1:5432/postgres) and dropped after; default SQLite")
	steps := fs.String("steps", "", "steps to run, comma-separated: "+strings.Join(bench.StepNames(), ",")+" (default: all; a step not run reports 0)")
	hookLoad := fs.String("webhook-load", "process", "where the channel step's load generator runs: process (its own, as the platforms' servers) or inline (the gateway's)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong bench [--json] [--steps webhook,…] [--duration 5s] [--clients 32] [--updates 20000] [--webhook-clients 40] [--webhook-rate 2000]

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
	only, err := benchSteps(*steps)
	if err != nil {
		fmt.Fprintf(e.stderr, "bench: --steps: %v\n", err)
		return exitError{2}
	}
	var loadCmd []string
	switch *hookLoad {
	case "process":
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench: the load generator runs this program: %w", err)
		}
		loadCmd = []string{exe, "bench-load"}
	case "inline":
	default:
		fmt.Fprintf(e.stderr, "bench: --webhook-load %q: want process or inline\n", *hookLoad)
		return exitError{2}
	}
	questions, err := bench.Questions(*file)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "hoiphuong-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dbURL := "" // never the environment's DATABASE_URL: the bench writes
	if *pgAdmin != "" {
		u, drop, err := sqldb.ThrowawayDatabase(ctx, *pgAdmin, "hoiphuong_bench")
		if err != nil {
			return err
		}
		defer func() { _ = drop(context.WithoutCancel(ctx)) }() // best effort: the bench's result is printed
		dbURL = u
	}
	fake := telegramtest.Start()
	defer fake.Close()
	fake.KeepFields = []string{"chat_id"} // all the channel step reads of a send
	tgEnv := bench.ChannelEnv(fake.URL)
	benv := *e
	benv.getenv = func(k string) string {
		if v, ok := tgEnv[k]; ok {
			return v
		}
		switch k {
		case "DATA_DIR":
			return filepath.Join(tmp, "data")
		case "DATABASE_URL":
			return dbURL
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
	spareProc(a.cfg.Procs) // as serve runs
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	r, err := bench.Run(ctx, a.benchGateway(), bench.Options{
		Questions: questions, Clients: *clients, Duration: *dur, Updates: *updates,
		WebhookClients: *hookClients, WebhookRate: *hookRate, Fake: fake, Progress: e.stderr, LoadCommand: loadCmd, Steps: only,
	})
	if err != nil {
		return err
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	bench.Print(e.stdout, r)
	return nil
}

// writeHeapProfile writes the heap's live objects (after a collection)
// to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("bench: heap profile: %w", err)
	}
	return f.Close()
}

// benchGateway hands the wired gateway to the bench (cmd/internal/bench).
func (a *app) benchGateway() *bench.Gateway {
	g := &bench.Gateway{
		Serve: a.serve, Engine: a.engine, KB: a.kb, Meili: a.client, Index: a.index,
		DB: a.db, Conv: a.conv, Desk: a.desk, Publisher: a.publisher, KBStore: a.kbs,
	}
	if a.meili != nil {
		g.MeiliRSS = a.meili.RSSBytes
	}
	if a.channels != nil {
		g.Telegram, g.Outbox = a.channels.telegram, a.channels.outbox
	}
	return g
}

// runBenchLoad is the bench's webhook load generator in a process of its
// own (started by bench; see bench.ServeLoad).
func runBenchLoad(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench-load", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong bench-load

The bench's webhook load generator, which bench starts as a process of its
own: it reads one JSON load phase per line on stdin, posts it, and writes the
phase's latencies as one JSON line on stdout, until stdin ends.`)
	}
	if _, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	}
	return bench.ServeLoad(ctx, e.stdin, e.stdout)
}

// benchSteps parses --steps: nil (every step) when empty.
func benchSteps(list string) (map[string]bool, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	only := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(bench.StepNames(), name) {
			return nil, fmt.Errorf("%q is not a step (%s)", name, strings.Join(bench.StepNames(), ", "))
		}
		only[name] = true
	}
	return only, nil
}
