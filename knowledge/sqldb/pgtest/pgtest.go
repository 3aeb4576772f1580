// Package pgtest gives tests a real Postgres: the cluster at
// $HOIPHUONG_TEST_PG_URL (make test-pg starts one for the whole run), or
// else a throwaway cluster started once per test binary by
// scripts/pg-cluster.sh (which installs Debian's postgresql when it is
// missing) on a free loopback port and stopped by Main; and a database of
// its own for each test, dropped when the test ends.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// cluster is the test binary's Postgres.
type cluster struct {
	once sync.Once
	dir  string
	url  string
	err  error
}

var (
	shared  cluster // one per test binary: Main stops it
	seq     atomic.Int64
	mainRan bool // Main runs the tests: a cluster started here is stopped
)

// ClusterEnv names the variable holding the URL of a running cluster
// (its postgres database) to create the tests' databases in.
const ClusterEnv = "HOIPHUONG_TEST_PG_URL"

// Main runs the package's tests and stops the cluster if one was started.
func Main(m *testing.M) { os.Exit(Wrap(m.Run)) }

// Wrap runs run (a package's tests, perhaps through another fixture's
// runner) and stops the cluster if one was started; it returns run's
// exit code.
func Wrap(run func() int) int {
	mainRan = true
	defer shared.stop()
	return run()
}

// URL returns the URL of a new, empty database for t (dropped at its end).
func URL(t testing.TB) string {
	t.Helper()
	shared.once.Do(shared.start)
	if shared.err != nil {
		t.Fatalf("pgtest: %v", shared.err)
	}
	name := fmt.Sprintf("t_%d_%d", os.Getpid(), seq.Add(1))
	admin, err := sql.Open("pgx", shared.url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", shared.url)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") // the cluster goes anyway
	})
	u, err := url.Parse(shared.url)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func (c *cluster) start() {
	if url := os.Getenv(ClusterEnv); url != "" {
		c.url = url
		return
	}
	if !mainRan {
		c.err = fmt.Errorf("no cluster: set %s (make test-pg does) or run the package's tests through pgtest.Main", ClusterEnv)
		return
	}
	script, err := findScript()
	if err != nil {
		c.err = err
		return
	}
	dir, err := os.MkdirTemp("", "hoiphuong-pg-")
	if err != nil {
		c.err = err
		return
	}
	_ = os.Chmod(dir, 0o755) // the postgres user owns the cluster below it
	c.dir = dir
	port, err := freePort()
	if err != nil {
		c.err = err
		return
	}
	out, err := exec.Command("bash", script, "start", filepath.Join(dir, "pg"), fmt.Sprint(port)).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		c.err = fmt.Errorf("start the cluster: %v\n%s", err, stderr)
		return
	}
	c.url = strings.TrimSpace(string(out))
}

func (c *cluster) stop() {
	if c.dir == "" {
		return
	}
	if c.url != "" {
		if script, err := findScript(); err == nil {
			_ = exec.Command("bash", script, "stop", filepath.Join(c.dir, "pg")).Run() // best effort at exit
		}
	}
	_ = os.RemoveAll(c.dir)
}

// findScript finds scripts/pg-cluster.sh above the working directory (a
// test runs in its package's directory).
func findScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "scripts", "pg-cluster.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("scripts/pg-cluster.sh not found above the working directory")
		}
		dir = parent
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
