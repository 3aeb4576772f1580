package meili

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Config says how to run the embedded Meilisearch.
type Config struct {
	Bin       string       // path of the meilisearch binary (see Locate)
	DataDir   string       // data.ms, master.key and meilisearch.log live here
	MasterKey string       // empty: generated once and kept in DataDir/master.key
	LogLevel  string       // Meilisearch's own log level; default WARN
	Logger    *slog.Logger // the gateway's logger; nil discards
	// MaxIndexingMemory caps the indexer's memory (Meilisearch syntax,
	// e.g. "256MiB"). Default 256MiB: the KB is a few MB, and Meilisearch's
	// own default (two thirds of the RAM) makes every indexing batch pay
	// seconds of CPU for buffers it never fills.
	MaxIndexingMemory string
	// StartTimeout bounds each wait for /health to answer; default 30 s.
	StartTimeout time.Duration
	// StopTimeout is how long Stop waits after SIGTERM before SIGKILL when
	// its context has no deadline; default 10 s.
	StopTimeout time.Duration
}

// Server is a supervised Meilisearch child process on 127.0.0.1. If the
// process dies it is restarted on the same address, with backoff, until Stop.
type Server struct {
	cfg     Config
	logger  *slog.Logger
	addr    string // 127.0.0.1:PORT
	url     string
	key     string
	logPath string
	logFile *os.File
	health  *http.Client

	life     context.Context // cancelled by Stop: ends supervision
	cancel   context.CancelFunc
	stopOnce sync.Once
	stopErr  error
	done     chan struct{} // closed when the supervisor has returned

	mu       sync.Mutex
	cur      *process
	restarts int
}

// Start runs Meilisearch on a free 127.0.0.1 port and returns once it
// answers /health. ctx bounds the start only; the process then lives until
// Stop. On failure the error carries the last lines Meilisearch printed.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Bin == "" || cfg.DataDir == "" {
		return nil, errors.New("meili: Config.Bin and Config.DataDir are required")
	}
	if cfg.LogLevel == "" {
		cfg.LogLevel = "WARN"
	}
	if cfg.MaxIndexingMemory == "" {
		cfg.MaxIndexingMemory = "256MiB"
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 30 * time.Second
	}
	if cfg.StopTimeout <= 0 {
		cfg.StopTimeout = 10 * time.Second
	}
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("meili: %w", err)
	}
	cfg.DataDir = dataDir
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("meili: %w", err)
	}
	key, err := masterKey(cfg.DataDir, cfg.MasterKey)
	if err != nil {
		return nil, fmt.Errorf("meili: %w", err)
	}
	s := &Server{
		cfg:     cfg,
		logger:  orDiscard(cfg.Logger).With("component", "meilisearch"),
		key:     key,
		logPath: filepath.Join(cfg.DataDir, "meilisearch.log"),
		health:  &http.Client{Timeout: 2 * time.Second},
		done:    make(chan struct{}),
	}
	s.logFile, err = os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("meili: log file: %w", err)
	}
	if err := s.firstRun(ctx); err != nil {
		s.logFile.Close()
		return nil, err
	}
	s.life, s.cancel = context.WithCancel(context.Background())
	go s.supervise()
	return s, nil
}

// firstRun starts the first process, trying another port if the one picked
// was taken between choosing it and Meilisearch binding it.
func (s *Server) firstRun(ctx context.Context) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		port, perr := freePort()
		if perr != nil {
			return fmt.Errorf("meili: %w", perr)
		}
		s.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		s.url = "http://" + s.addr
		start := time.Now()
		var p *process
		if p, err = s.spawn(); err != nil {
			return err
		}
		if err = s.waitHealthy(ctx, p); err == nil {
			s.cur = p
			s.logger.Info("meilisearch started", "url", s.url, "pid", p.pid(),
				"data_dir", s.cfg.DataDir, "elapsed", time.Since(start).Round(time.Millisecond))
			return nil
		}
		s.terminate(p, time.Second)
		if !strings.Contains(err.Error(), "in use") {
			break
		}
	}
	return err
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitHealthy polls /health until it answers "available", the process
// exits, ctx ends or StartTimeout passes.
func (s *Server) waitHealthy(ctx context.Context, p *process) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.StartTimeout)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.ping(ctx) == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("meili: meilisearch exited during start (%v); last output: %s", p.err, s.output(p, 8))
		case <-ctx.Done():
			return fmt.Errorf("meili: meilisearch not healthy at %s after %s: %w; last output: %s",
				s.url, s.cfg.StartTimeout, ctx.Err(), s.output(p, 8))
		case <-tick.C:
		}
	}
}

// ping performs one GET /health.
func (s *Server) ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/health", nil)
	if err != nil {
		return err
	}
	resp, err := s.health.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("meili: /health answered %s", resp.Status)
	}
	return nil
}

// Health reports whether the server answers /health now.
func (s *Server) Health(ctx context.Context) error { return s.ping(ctx) }

// URL is the base URL of the server, e.g. http://127.0.0.1:40123.
func (s *Server) URL() string { return s.url }

// Key is the master key.
func (s *Server) Key() string { return s.key }

// LogPath is the file that receives Meilisearch's own output.
func (s *Server) LogPath() string { return s.logPath }

// PID is the process id of the current run (it changes after a restart).
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return 0
	}
	return s.cur.pid()
}

// Restarts counts the restarts after unexpected exits.
func (s *Server) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// Kill sends SIGKILL to the current process without stopping supervision:
// the supervisor restarts it. Tests use it to simulate a crash.
func (s *Server) Kill() error {
	s.mu.Lock()
	p := s.cur
	s.mu.Unlock()
	if p == nil {
		return errors.New("meili: no running process")
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("meili: kill: %w", err)
	}
	return nil
}

// Stop ends supervision and stops the process: SIGTERM, then SIGKILL if it
// has not exited by ctx's deadline (or Config.StopTimeout). Calling Stop
// again returns the first call's result.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		s.cancel()
		<-s.done
		grace := s.cfg.StopTimeout
		if dl, ok := ctx.Deadline(); ok {
			grace = time.Until(dl)
		}
		s.mu.Lock()
		p := s.cur
		s.mu.Unlock()
		if p != nil {
			s.stopErr = s.terminate(p, grace)
			s.logger.Info("meilisearch stopped", "pid", p.pid())
		}
		if err := s.logFile.Close(); err != nil && s.stopErr == nil {
			s.stopErr = fmt.Errorf("meili: close log: %w", err)
		}
	})
	return s.stopErr
}

// terminate sends SIGTERM, waits up to grace, then SIGKILLs and waits.
func (s *Server) terminate(p *process, grace time.Duration) error {
	if p.exited() {
		return nil
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !p.exited() {
		return fmt.Errorf("meili: sigterm: %w", err)
	}
	t := time.NewTimer(max(grace, 0))
	defer t.Stop()
	select {
	case <-p.done:
		return nil
	case <-t.C:
	}
	s.logger.Warn("meilisearch ignored SIGTERM, killing it", "pid", p.pid(), "grace", grace)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !p.exited() {
		return fmt.Errorf("meili: sigkill: %w", err)
	}
	<-p.done
	return nil
}
