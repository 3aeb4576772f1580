package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// Checkpoint is the outcome of one checkpoint (PRAGMA wal_checkpoint).
type Checkpoint struct {
	Busy         bool // another connection held a lock the checkpoint needed
	LogFrames    int  // frames in the WAL
	Checkpointed int  // frames now copied into the database file
	Took         time.Duration
	// Paused: the writers were paused for this pass (CheckpointConfig.Pause).
	Paused bool
}

// CheckpointConfig configures Checkpoints; zero values take the defaults.
type CheckpointConfig struct {
	Interval time.Duration // between checkpoints (250 ms)
	// RestartFrames: a WAL of at least this many frames (32,768: 128 MB)
	// gets a last pass with the writers paused. Under a steady stream
	// of commits a checkpoint beside the writer never finds the log fully
	// copied (commits land while it copies), so the writer never starts
	// the log again from its beginning and the WAL, and every read's
	// search of it, only grows. The paused pass copies what the first one
	// left (the commits of a few milliseconds), after which the next
	// commit restarts the log.
	RestartFrames int
	// Under a lighter load a pass finds nothing landed while it copied
	// and the log restarts by itself.
	// Pause holds the writers until resume is called (the gateway's
	// dbgate turn); nil: never paused.
	Pause   func(ctx context.Context) (resume func(), err error)
	Observe func(Checkpoint) // told of each checkpoint that found frames (optional)
	Logger  *slog.Logger
}

// Checkpoints copies the WAL of the database file at path into the file
// until ctx ends, on a connection of its own, for a pool opened with
// ManualCheckpoints. A PASSIVE checkpoint never waits for the writer:
// commits go on while it copies (WAL mode), so no caller pays for it. It
// returns ctx's end, or the error of opening its connection.
func Checkpoints(ctx context.Context, path string, cfg CheckpointConfig) error {
	if cfg.Interval <= 0 {
		cfg.Interval = 250 * time.Millisecond
	}
	if cfg.RestartFrames <= 0 {
		cfg.RestartFrames = RestartFrames
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	db, err := sql.Open("sqlite", dsn(path, options{manualCheckpoints: true}))
	if err != nil {
		return fmt.Errorf("sqldb: checkpoints of %q: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	t := time.NewTicker(cfg.Interval)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		err := checkpointOnce(ctx, db, path, cfg)
		switch {
		case err != nil && ctx.Err() == nil:
			if !failing { // once per failing spell, not every tick
				cfg.Logger.Error("sqldb: checkpoint failed; the WAL grows until one succeeds", "err", err)
			}
			failing = true
		case err == nil && failing:
			cfg.Logger.Info("sqldb: checkpoints succeed again")
			failing = false
		}
	}
}

// checkpointOnce runs a checkpoint beside the writer and, when the WAL is
// long, a last one with the writers paused: first more passes beside the
// writer until one finds few new frames (each copies what landed during
// the one before, so they shrink), then the paused pass copies the rest,
// the commits of a millisecond or two.
func checkpointOnce(ctx context.Context, db *sql.DB, path string, cfg CheckpointConfig) error {
	c, err := checkpoint(ctx, db, "PASSIVE")
	if err != nil {
		return err
	}
	observe(cfg, c)
	if c.LogFrames < cfg.RestartFrames || cfg.Pause == nil {
		return nil
	}
	for range maxCatchUp {
		prev := c.LogFrames
		if c, err = checkpoint(ctx, db, "PASSIVE"); err != nil {
			return err
		}
		observe(cfg, c)
		if c.LogFrames-prev <= pausedFrames {
			break
		}
	}
	if err := presync(path); err != nil { // the paused pass then syncs it all
		cfg.Logger.Debug("sqldb: sync before the paused checkpoint", "err", err)
	}
	resume, err := cfg.Pause(ctx)
	if err != nil {
		return err
	}
	c, err = checkpoint(ctx, db, "PASSIVE")
	resume()
	if err != nil {
		return err
	}
	c.Paused = true
	observe(cfg, c)
	return nil
}

// RestartFrames is the default CheckpointConfig.RestartFrames: about
// 128 MB of WAL (4 KB pages).
const RestartFrames = 32768

// A long WAL is caught up by at most maxCatchUp passes beside the writer
// before the paused one, which is due once a pass found at most
// pausedFrames new frames.
const (
	maxCatchUp   = 6
	pausedFrames = 256
)

func observe(cfg CheckpointConfig, c Checkpoint) {
	if cfg.Observe != nil && c.LogFrames > 0 {
		cfg.Observe(c)
	}
}

// checkpoint runs one checkpoint in mode (PASSIVE, TRUNCATE).
func checkpoint(ctx context.Context, db *sql.DB, mode string) (Checkpoint, error) {
	var c Checkpoint
	var busy int
	start := time.Now()
	err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &c.LogFrames, &c.Checkpointed)
	c.Busy, c.Took = busy != 0, time.Since(start)
	if err != nil {
		return c, fmt.Errorf("wal_checkpoint: %w", err)
	}
	return c, nil
}
