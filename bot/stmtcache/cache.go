// Package stmtcache prepares each SQL statement of a store once and reuses
// it. SQLite (modernc.org/sqlite) parses a statement every time it is run
// unprepared, which was a tenth of the gateway's CPU under webhook load.
package stmtcache

import (
	"context"
	"database/sql"
	"sync"
)

// Cache holds the prepared statements of one *sql.DB; database/sql
// re-prepares them on a new connection when needed. Safe for concurrent
// use.
type Cache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// New returns an empty cache on db.
func New(db *sql.DB) *Cache { return &Cache{db: db, m: map[string]*sql.Stmt{}} }

// Stmt returns query prepared on the cache's db.
func (c *Cache) Stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st := c.m[query]
	c.mu.Unlock()
	if st != nil {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[query]; prev != nil {
		_ = st.Close() // prepared twice concurrently: keep the first
		return prev, nil
	}
	c.m[query] = st
	return st, nil
}

// QueryContext runs query, prepared once.
func (c *Cache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.Stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs query, prepared once. A statement that cannot be
// prepared runs unprepared, so that its error surfaces in Scan.
func (c *Cache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.Stmt(ctx, query)
	if err != nil {
		return c.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// ExecContext runs query, prepared once.
func (c *Cache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.Stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// Warm prepares queries now. Statements run in a transaction come only
// from here: preparing on the db while a transaction holds the only
// connection would wait for it forever.
func (c *Cache) Warm(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, err := c.Stmt(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (c *Cache) cached(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// Tx runs the cache's statements inside a transaction: a statement warmed
// before runs prepared (database/sql prepares it on the transaction's
// connection if needed), any other one unprepared.
type Tx struct {
	c  *Cache
	tx *sql.Tx
}

// In returns the cache's statements bound to tx (closed with it).
func (c *Cache) In(tx *sql.Tx) Tx { return Tx{c, tx} }

// QueryRowContext runs query in the transaction.
func (t Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.c.cached(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// ExecContext runs query in the transaction.
func (t Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.c.cached(query); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}
