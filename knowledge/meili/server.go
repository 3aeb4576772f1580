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
