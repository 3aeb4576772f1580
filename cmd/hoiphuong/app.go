package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/instance"
	"github.com/hoiphuong/hoiphuong/bot/limitstore"
	"github.com/hoiphuong/hoiphuong/bot/periodic"
	"github.com/hoiphuong/hoiphuong/handlers"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/dbgate"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/llm"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/meili"
	"github.com/hoiphuong/hoiphuong/knowledge/publish"
	"github.com/hoiphuong/hoiphuong/knowledge/search"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// app is the wired gateway: storage, search, engine.
type app struct {
	cfg      Config
	logger   *slog.Logger
	db       *sql.DB
	kbs      *kbstore.Store
	kb       *knowledge.KB
	meili    *meili.Server // nil when MEILI_URL points elsewhere
	client   meilisearch.ServiceManager
	index    *search.Index
	engine   *bot.Engine
	llm      *llm.Client // nil when LLM_MODE is off
	service  *bot.Service
	channels *channels
	conv     *botstore.Store
	staff    *staff.Directory
	desk     *handoff.Desk
	loc      *geo.Index // the 168 units' boundaries: pins, the dashboard's map
	hub      *live.Hub
	opts     appOptions
	// scratchDir holds the throwaway conversation database (opts.scratch).
	scratchDir string
	scratchDB  *sql.DB
	// publisher publishes the editors' draft and rolls back versions.
	publisher *publish.Publisher
	progress  io.Writer
	// searchDown is set while Meilisearch does not answer.
	searchDown atomic.Bool
	lock       *instance.Lock // DATA_DIR held by serve
	gate       *dbgate.Gate   // orders the turns on the database's one connection
	turns      *turnMetrics   // the SQLite connection's turns (metrics.go)
	// stopCheckpoints ends the background WAL checkpoints (before the
	// database is closed).
	stopCheckpoints func()
	// holder names this gateway among those sharing the database, and
	// leases are its leases there (gateways.go).
	holder string
	leases *lease.Keeper
	// limits are the rate limits' counters the gateways share (nil: a
	// gateway alone on its database counts in memory).
	limits *limitstore.Store
	kbMu   sync.Mutex // one KB check at a time (checkKB)
}

type appOptions struct {
	quiet bool // log warnings only (ask, chat, eval)
	// scratch keeps conversations in a throwaway database (ask, chat,
	// eval): test questions never reach the staff queues, the dashboard
	// or the editors' unanswered list of the real one.
	scratch bool
	// exclusive holds DATA_DIR for this process (serve): a second gateway
	// on the same folder is refused.
	exclusive bool
}

// openApp loads the configuration and wires everything a subcommand needs.
func openApp(ctx context.Context, e *env, opts appOptions) (*app, error) {
	cfg, err := loadConfig(e.getenv, ".env")
	if err != nil {
		return nil, err
	}
	level := cfg.LogLevel
	if opts.quiet && level < slog.LevelWarn {
		level = slog.LevelWarn
	}
	a := &app{cfg: cfg, logger: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level})), progress: e.stderr}
	if opts.quiet {
		a.progress = io.Discard
	}
	a.opts = opts
	if err := a.open(ctx); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// dbFile is the gateway's SQLite database under DATA_DIR.
const dbFile = "hoiphuong.db"

func (a *app) open(ctx context.Context) error {
	if err := os.MkdirAll(a.cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	if a.opts.exclusive {
		l, err := instance.Acquire(a.cfg.DataDir)
		if err != nil {
			return err
		}
		a.lock = l
	}
	// Webhook accepts go before the answering side's statements (see
	// bot/dbgate); on SQLite the checkpoints pause the writers through it.
	a.gate = dbgate.New()
	a.turns = newTurnMetrics()
	a.gate.Observe(a.turns.observe)
	db, err := openDatabase(ctx, a.cfg, sqldb.ManualCheckpoints())
	if err != nil {
		return err
	}
	a.db = db
	if a.cfg.DatabaseURL == "" {
		a.stopCheckpoints = a.checkpoints(ctx, filepath.Join(a.cfg.DataDir, dbFile))
	}
	if err := a.openLeases(ctx, db); err != nil {
		return err
	}
	if a.kbs, err = kbstore.New(ctx, db); err != nil {
		return err
	}
	// The model first: the search index embeds with it (hybrid search).
	if a.llm, err = llm.New(llm.Config{
		BaseURL: a.cfg.LLM.BaseURL, APIKey: a.cfg.LLM.APIKey, Model: a.cfg.LLM.Model, EmbedModel: a.cfg.LLM.EmbedModel,
		Timeout: a.cfg.LLM.Timeout, Mode: a.cfg.LLM.Mode, Logger: a.logger,
	}); err != nil {
		return err
	}
	if err := a.openSearch(ctx); err != nil {
		return err
	}
	// The KB and its indexes together, one gateway at a time: a gateway
	// starting beside another that publishes loads the newest version and
	// never builds the indexes from an older one.
	if err := a.underPublishLease(ctx, func() error {
		if err := a.loadKB(ctx); err != nil {
			return err
		}
		return a.ensureIndex(ctx)
	}); err != nil {
		return err
	}
	loc, err := geo.New(seed.Geo())
	if err != nil {
		return fmt.Errorf("geo: %w", err)
	}
	a.loc = loc
	convDB, err := a.conversationDB(ctx, db)
	if err != nil {
		return err
	}
	conv, err := botstore.New(ctx, convDB)
	if err != nil {
		return err
	}
	conv.Gate = a.gate
	if convDB != db { // a scratch database: a connection of its own
		conv.Gate = dbgate.New()
	}
	ecfg := bot.Config{KB: a.kb, Index: procedureIndex{a.index, &a.searchDown}, Locator: loc, Logger: a.logger}
	if a.llm != nil { // never a typed nil in the interface
		ecfg.Assistant, ecfg.Phrasing = a.llm, a.llm.Mode() == llm.ModeFull
	}
	a.engine = bot.NewEngine(ecfg)
	a.service = bot.NewService(a.engine, conv)
	if a.publisher, err = publish.New(publish.Config{Store: a.kbs, Index: a.index, Apply: a.applyKB, Logger: a.logger,
		Leases: a.leases, LeaseRenew: a.cfg.LeaseTTL / 3}); err != nil {
		return err
	}
	if err := a.publisher.Recover(ctx); err != nil { // a publish cut short by a stop
		return err
	}
	if a.channels, err = a.openChannels(ctx, convDB, conv, a.service); err != nil {
		return err
	}
	return a.openDesk(ctx, convDB, conv)
}

// checkpointInterval is how often the WAL is copied into the database
// file in the background (under the bench's 2,000 webhooks a second about
// 30 MB of it each time).
const checkpointInterval = 250 * time.Millisecond

// checkpoints runs the background WAL checkpoints of the database at path
// (opened with sqldb.ManualCheckpoints) until the returned stop is called.
func (a *app) checkpoints(ctx context.Context, path string) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = sqldb.Checkpoints(ctx, path, sqldb.CheckpointConfig{ // ends with ctx
			Interval: checkpointInterval, Logger: a.logger, Observe: a.turns.observeCheckpoint,
			// Urgent: behind the queued background turns the writers would
			// add frames while the pause waits, and the paused pass would
			// copy them too.
			Pause: func(ctx context.Context) (func(), error) { return a.gate.Enter(ctx, dbgate.Urgent) },
		})
	}()
	return func() { cancel(); <-done }
}

// conversationDB is where conversations, the outbox and the staff desk
// live: the gateway's database, or a throwaway one (opts.scratch).
func (a *app) conversationDB(ctx context.Context, db *sql.DB) (*sql.DB, error) {
	if !a.opts.scratch {
		return db, nil
	}
	dir, err := os.MkdirTemp("", "hoiphuong-scratch-")
	if err != nil {
		return nil, fmt.Errorf("scratch database: %w", err)
	}
	a.scratchDir = dir
	sdb, err := sqldb.Open(ctx, filepath.Join(dir, dbFile))
	if err != nil {
		return nil, err
	}
	a.scratchDB = sdb
	return sdb, nil
}

// openDesk wires the ward queues and the staff directory; staff replies
// leave through the citizen's channel (the inbox renders them into the
// outbox). Only serve connects the queues to the conversations (terminal
// chat, ask and eval have no staff to answer).
func (a *app) openDesk(ctx context.Context, db *sql.DB, conv *botstore.Store) error {
	a.conv = conv
	// Units given to staff must be units of the KB citizens are answered
	// from (a publish is seen at once).
	checkUnit := func(code string) error { return a.engine.KB().CheckHCMCUnit(code) }
	staffStore, err := staffstore.New(ctx, db)
	if err != nil {
		return err
	}
	if a.staff, err = staff.New(staffStore, staff.Config{CheckUnit: checkUnit}); err != nil {
		return err
	}
	a.hub = live.New(0)
	dcfg := handoff.Config{
		Store: conv, Catalog: handoff.NewCatalog(a.engine.KB), Courier: a.channels.inbox,
		Hub: a.hub, Logger: a.logger, SLA: a.cfg.HandoffSLA, Roster: a.staff, Leases: a.sharedLeases(db),
	}
	if a.llm != nil { // the model rewrites the summary staff read first
		dcfg.Summarizer, dcfg.SummaryTimeout = a.llm, a.cfg.LLM.Timeout
	}
	if a.channels.telegram != nil { // units may name a Telegram group for alerts
		dcfg.AlertChannel = telegram.Name
	}
	if a.cfg.PublicBaseURL != "" {
		dcfg.ConsoleURL = a.cfg.PublicBaseURL + "/console"
	}
	a.desk, err = handoff.New(dcfg)
	return err
}

// applyKB makes a newly published (or rolled back) KB version the one
// citizens are answered from.
func (a *app) applyKB(kb *knowledge.KB) {
	withSeedSynonyms(kb)
	a.engine.SetKB(kb)
	a.logger.Info("knowledge base published", "version", kb.Version, "as_of", kb.AsOf.Format("2006-01-02"))
	a.announceKB(context.Background(), kb.Version)
}

// withSeedSynonyms gives a version saved before the KB kept synonyms (an
// older database) the seed's everyday words, which the matcher needs.
func withSeedSynonyms(kb *knowledge.KB) {
	if len(kb.Synonyms) == 0 {
		kb.Synonyms = knowledge.SynonymList(seed.Synonyms())
	}
}

// loadKB loads the newest published KB version, seeding version 1 from the
// embedded seed data on the first start.
func (a *app) loadKB(ctx context.Context) error {
	kb, err := a.kbs.Latest(ctx)
	if errors.Is(err, kbstore.ErrNoVersion) {
		fmt.Fprintln(a.progress, "knowledge base: first start, loading the seed data…")
		if kb, err = seed.Load(); err != nil {
			return err
		}
		v, err := a.kbs.SaveVersion(ctx, kb, "seed", "Dữ liệu gốc: đơn vị hành chính sau 01/07/2025, thủ tục hành chính")
		if err != nil {
			return err
		}
		kb.Version = v
	} else if err != nil {
		return err
	} else if kb, err = a.upgradeKB(ctx, kb); err != nil {
		return err
	}
	withSeedSynonyms(kb)
	a.kb = kb
	fmt.Fprintf(a.progress, "knowledge base: version %d, as of %s (%d units, %d old→new rows, %d procedures)\n",
		kb.Version, kb.AsOf.Format("2006-01-02"), len(kb.Units), len(kb.Mappings), len(kb.Procedures))
	return nil
}

// upgradeKB gives a KB saved from an older seed the offices and FAQ of
// this one (seed.Upgrade, which keeps editors' changes), published as a
// new version. With an editor's draft open it waits for a later start:
// publishing that draft (a copy of the older version) would undo it.
func (a *app) upgradeKB(ctx context.Context, kb *knowledge.KB) (*knowledge.KB, error) {
	if _, _, err := a.kbs.DraftKB(ctx); err == nil {
		a.logger.Warn("the seed's offices and FAQ wait until the open draft is published or discarded")
		return kb, nil
	} else if !errors.Is(err, kbstore.ErrNoDraft) {
		return nil, err
	}
	changes, err := seed.Upgrade(kb)
	if err != nil || len(changes) == 0 {
		return kb, err
	}
	v, err := a.kbs.SaveVersion(ctx, kb, "seed", "Dữ liệu gốc bổ sung: "+strings.Join(changes, "; "))
	if err != nil {
		return nil, err
	}
	kb.Version = v
	fmt.Fprintf(a.progress, "knowledge base: added from the seed: %s\n", strings.Join(changes, "; "))
	return kb, nil
}

// openSearch connects to MEILI_URL, or installs and starts the embedded
// Meilisearch when it is empty.
func (a *app) openSearch(ctx context.Context) error {
	url, key := a.cfg.MeiliURL, a.cfg.MeiliMasterKey
	if url == "" {
		bin, err := meili.Locate(ctx, a.cfg.MeiliBin, a.cfg.MeiliInstallDir, a.logger)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.progress, "meilisearch: starting %s…\n", bin)
		srv, err := meili.Start(ctx, meili.Config{Bin: bin, DataDir: filepath.Join(a.cfg.DataDir, "meili"), MasterKey: key, Logger: a.logger})
		if err != nil {
			return err
		}
		a.meili = srv
		url, key = srv.URL(), srv.Key()
		fmt.Fprintf(a.progress, "meilisearch: ready on %s\n", url)
	}
	a.client = meili.NewClient(url, key, 10*time.Second)
	opts := []search.Option{search.WithSynonyms(seed.Synonyms())}
	if a.llm != nil && a.cfg.LLM.EmbedModel != "" { // hybrid search: vectors from the model
		opts = append(opts, search.WithHybrid(search.Hybrid{Embedder: a.llm, Logger: a.logger}))
	}
	if len(a.cfg.MeiliReplicas) > 0 { // MEILI_URLS: the same indexes on every node
		var replicas []meilisearch.ServiceManager
		for _, u := range a.cfg.MeiliReplicas {
			replicas = append(replicas, meili.NewClient(u, key, 10*time.Second))
		}
		opts = append(opts, search.WithReplicas(replicas...))
	}
	a.index = search.New(a.client, a.cfg.IndexPrefix, opts...)
	return nil
}

// ensureIndex builds the indexes unless they already hold this KB version
// (and, with hybrid search, its vectors).
func (a *app) ensureIndex(ctx context.Context) error {
	if v, err := a.index.Version(ctx); err == nil && v == a.kb.Version && a.index.Hybrid() == a.index.Semantic(ctx) {
		fmt.Fprintf(a.progress, "search index: up to date (version %d)\n", v)
		return nil
	}
	fmt.Fprintln(a.progress, "search index: building units, old_units and procedures…")
	st, err := a.index.Build(ctx, a.kb)
	if err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	if err := a.index.SetVersion(ctx, a.kb.Version); err != nil {
		return err
	}
	var parts []string
	for _, n := range []string{search.Units, search.OldUnits, search.Procedures} {
		parts = append(parts, fmt.Sprintf("%s %d", n, st.Documents[n]))
	}
	if st.Semantic {
		parts = append(parts, fmt.Sprintf("%s %d, with embeddings", search.Curated, st.Documents[search.Curated]))
	}
	fmt.Fprintf(a.progress, "search index: built in %.2fs (%s documents)\n", st.Duration.Seconds(), strings.Join(parts, ", "))
	return nil
}

// ready reports whether the KB is loaded and Meilisearch answers.
func (a *app) ready(ctx context.Context) error {
	if a.engine == nil {
		return errors.New("knowledge base not loaded")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var errs []error
	if err := a.index.Ping(ctx); err != nil {
		errs = append(errs, handlers.ComponentError{Name: "meilisearch", Err: fmt.Errorf("unavailable (answering old→new from memory): %w", err)})
	}
	if err := sqldb.ProbeWrite(ctx, a.db); err != nil {
		errs = append(errs, handlers.ComponentError{Name: "database", Err: err})
	}
	return errors.Join(errs...)
}

func (a *app) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if a.desk != nil {
		a.desk.WaitSummaries() // each bounded by LLM_TIMEOUT
	}
	if a.meili != nil {
		if err := a.meili.Stop(ctx); err != nil {
			a.logger.Warn("stop meilisearch", "err", err)
		}
	}
	if a.stopCheckpoints != nil {
		a.stopCheckpoints()
	}
	if a.db != nil {
		_ = a.db.Close()
	}
	if a.scratchDB != nil {
		_ = a.scratchDB.Close()
	}
	if a.scratchDir != "" {
		_ = os.RemoveAll(a.scratchDir)
	}
	_ = a.lock.Release() // last: the folder is free once everything is closed
}

// procedureIndex adapts the search index to the engine's ProcedureIndex,
// with a short timeout: a slow index must not hold up an answer. Health is
// what the last search or the background pinger saw.
type procedureIndex struct {
	ix   *search.Index
	down *atomic.Bool
}

func (p procedureIndex) SearchProcedures(ctx context.Context, q string, limit int) ([]bot.SearchHit, error) {
	ctx, cancel := context.WithTimeout(ctx, 800*time.Millisecond)
	defer cancel()
	hits, err := p.ix.SearchProcedures(ctx, q, limit)
	if err != nil {
		p.down.Store(true)
		return nil, err
	}
	p.down.Store(false) // it answers: healthy again, also where no watcher runs (chat, ask, eval)
	out := make([]bot.SearchHit, len(hits))
	for i, h := range hits {
		out[i] = bot.SearchHit{ID: h.ID, Score: h.Score}
	}
	return out, nil
}

func (p procedureIndex) Healthy() bool { return !p.down.Load() }

// SearchCurated implements bot.CuratedSearch: curated answers found by
// meaning (none unless hybrid search is on); keyword hits are left to the
// engine's own phrasing matcher.
func (p procedureIndex) SearchCurated(ctx context.Context, q string, limit int) ([]bot.SearchHit, error) {
	ctx, cancel := context.WithTimeout(ctx, 800*time.Millisecond)
	defer cancel()
	hits, err := p.ix.SearchCurated(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	var out []bot.SearchHit
	for _, h := range hits {
		if h.Semantic {
			out = append(out, bot.SearchHit{ID: h.ID, Score: h.Score})
		}
	}
	return out, nil
}

// watchSearch pings Meilisearch every second until ctx is done, so that
// answers say "degraded" while it is down (e.g. being restarted).
func (a *app) watchSearch(ctx context.Context) {
	periodic.Every(ctx, time.Second, func(ctx context.Context) {
		pctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		err := a.index.Ping(pctx)
		cancel()
		if was := a.searchDown.Swap(err != nil); was != (err != nil) {
			if err != nil {
				a.logger.Warn("meilisearch down: answering from memory", "err", err)
			} else {
				a.logger.Info("meilisearch back")
			}
		}
	})
}
