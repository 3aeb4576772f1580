package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// blobDB opens a database with ManualCheckpoints and a table to fill.
func blobDB(t *testing.T) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ck.db")
	db, err := Open(t.Context(), path, ManualCheckpoints())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(t.Context(), `CREATE TABLE blob (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	return path, db
}

// TestManualCheckpoints: with ManualCheckpoints no commit copies the WAL
// (it grows past SQLite's 1,000-page automatic checkpoint), and
// Checkpoints copies it in the background, after which the writer starts
// the WAL again from its beginning.
func TestManualCheckpoints(t *testing.T) {
	ctx := t.Context()
	path, db := blobDB(t)
	write := func(n int) {
		t.Helper()
		for range n { // one page and more per commit
			if _, err := db.ExecContext(ctx, `INSERT INTO blob (v) VALUES (?)`, strings.Repeat("x", 5000)); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(800) // two pages a row: past 1,000 WAL pages
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	frames := int((fi.Size() - 32) / (4096 + 24)) // header, then frames of a page each
	if frames < 1200 {
		t.Fatalf("the WAL has %d frames after 800 two-page commits: was it checkpointed by a commit?", frames)
	}

	cctx, cancel := context.WithCancel(ctx)
	seen := make(chan Checkpoint, 1000)
	done := make(chan error, 1)
	go func() {
		done <- Checkpoints(cctx, path, CheckpointConfig{Interval: 10 * time.Millisecond, Observe: func(c Checkpoint) {
			select {
			case seen <- c:
			default:
			}
		}})
	}()
	// until waits for a checkpoint that satisfies ok, and returns the last seen.
	until := func(ok func(Checkpoint) bool) (Checkpoint, bool) {
		t.Helper()
		var last Checkpoint
		deadline := time.After(10 * time.Second)
		for {
			select {
			case last = <-seen:
				if ok(last) {
					return last, true
				}
			case <-deadline:
				return last, false
			}
		}
	}
	if c, ok := until(func(c Checkpoint) bool { return c.Checkpointed == c.LogFrames }); !ok || c.Busy || c.LogFrames < frames {
		t.Errorf("checkpoint = %+v, want all of at least %d frames copied", c, frames)
	}
	write(1) // the writer restarts the log from its beginning
	if c, ok := until(func(c Checkpoint) bool { return c.LogFrames < 10 }); !ok {
		t.Errorf("after a complete checkpoint and a commit the WAL still has %d frames, want the log restarted", c.LogFrames)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Checkpoints returned %v, want context.Canceled", err)
	}
}

// TestCheckpointRestartsUnderSteadyWrites: with commits landing all the
// time, a checkpoint beside the writer never leaves the log fully copied;
// the paused second pass does, and the log starts again from its beginning.
func TestCheckpointRestartsUnderSteadyWrites(t *testing.T) {
	ctx := t.Context()
	path, db := blobDB(t)
	var writers sync.Mutex // what the gateway's dbgate turn is to its writers
	wctx, stopWriting := context.WithCancel(ctx)
	written := make(chan error, 1)
	go func() {
		for wctx.Err() == nil {
			writers.Lock()
			_, err := db.ExecContext(ctx, `INSERT INTO blob (v) VALUES (?)`, strings.Repeat("x", 3000))
			writers.Unlock()
			if err != nil {
				written <- err
				return
			}
		}
		written <- nil
	}()
	const restart = 300
	var mu sync.Mutex
	var seen []Checkpoint
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- Checkpoints(cctx, path, CheckpointConfig{Interval: 5 * time.Millisecond, RestartFrames: restart,
			Pause: func(context.Context) (func(), error) { writers.Lock(); return writers.Unlock, nil },
			Observe: func(c Checkpoint) {
				mu.Lock()
				seen = append(seen, c)
				mu.Unlock()
			}})
	}()
	restarted := func() bool { // a long log, later a short one
		mu.Lock()
		defer mu.Unlock()
		long := false
		for _, c := range seen {
			long = long || c.LogFrames >= restart
			if long && c.LogFrames < restart/2 {
				return true
			}
		}
		return false
	}
	deadline := time.Now().Add(10 * time.Second)
	for !restarted() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	stopWriting()
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	ok := restarted()
	mu.Lock()
	defer mu.Unlock()
	paused := 0
	for _, c := range seen {
		if c.Paused {
			paused++
		}
	}
	if !ok || paused == 0 {
		t.Errorf("over %d checkpoints (%d paused) the log never restarted under steady writes", len(seen), paused)
	}
}

// presync flushes the database file through a descriptor the process
// already holds (never one of its own, whose close would drop SQLite's
// locks): it finds the file while the pool has it open, through a
// symlinked directory too, and says so when nothing has it open.
func TestPresync(t *testing.T) {
	path, db := blobDB(t)
	if _, err := db.ExecContext(t.Context(), `INSERT INTO blob (v) VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	if err := presync(path); err != nil && runtime.GOOS == "linux" {
		t.Errorf("presync of the open database: %v", err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(filepath.Dir(path), link); err != nil {
		t.Fatal(err)
	}
	if err := presync(filepath.Join(link, filepath.Base(path))); err != nil && runtime.GOOS == "linux" {
		t.Errorf("presync through a symlink: %v", err)
	}
	other := filepath.Join(t.TempDir(), "closed.db")
	if err := os.WriteFile(other, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := presync(other); err == nil && runtime.GOOS == "linux" {
		t.Errorf("presync of a file nobody has open succeeded")
	}
}
