package stmtcache

import (
	"sync"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
)

func TestCache(t *testing.T) {
	ctx := t.Context()
	db := sqldbtest.Open(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const (
		put = `INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`
		get = `SELECT v FROM kv WHERE k = ?`
	)
	c := New(db)
	if err := c.Warm(ctx, put); err != nil {
		t.Fatal(err)
	}
	// Concurrent use prepares each statement once.
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ExecContext(ctx, put, "k", i); err != nil {
				t.Error(err)
			}
			var v int
			if err := c.QueryRowContext(ctx, get, "k").Scan(&v); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(c.m) != 2 {
		t.Errorf("%d statements cached, want 2", len(c.m))
	}
	// In a transaction (the pool's only connection): warmed and unwarmed
	// statements both run, and nothing waits for a second connection.
	tests := []struct {
		name  string
		query string
	}{
		{"warmed", put},
		{"not warmed", `UPDATE kv SET v = ? WHERE k = ?`},
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		args := []any{"t", 7}
		if tt.query != put {
			args = []any{8, "t"}
		}
		if _, err := c.In(tx).ExecContext(ctx, tt.query, args...); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	var v int
	if err := c.In(tx).QueryRowContext(ctx, get, "t").Scan(&v); err != nil || v != 8 {
		t.Errorf("in tx: v=%d err=%v, want 8", v, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := c.QueryRowContext(ctx, get, "nope").Scan(&v); err == nil {
		t.Error("missing row: no error")
	}
	if err := c.QueryRowContext(ctx, `SELECT nope FROM nowhere`).Scan(&v); err == nil {
		t.Error("bad statement: no error")
	}
}
