package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenPostgres opens the Postgres database at url (DATABASE_URL) through
// pgx. The stores keep one SQL text per statement, written with SQLite's
// `?` placeholders: every statement is rebound to Postgres's `$1, $2 …`
// on its way to the server (Rebind).
func OpenPostgres(ctx context.Context, url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("sqldb: DATABASE_URL: %w", err)
	}
	db := sql.OpenDB(rebinding{stdlib.GetConnector(*cfg)})
	// A bound, so that a burst cannot take every connection the server
	// allows (its default is 100, for all gateways together).
	db.SetMaxOpenConns(maxPostgresConns)
	db.SetMaxIdleConns(maxPostgresConns)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqldb: connect to %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	if _, err := db.ExecContext(ctx, PostgresDDL(probeTableSQL)); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqldb: %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	return db, nil
}

// maxPostgresConns is each gateway's pool size on Postgres.
const maxPostgresConns = 16

// IsPostgres reports whether db was opened by OpenPostgres.
func IsPostgres(db *sql.DB) bool {
	_, ok := db.Driver().(rebindingDriver)
	return ok
}

// Rebind turns the `?` placeholders of query into `$1, $2 …`, leaving
// string literals, quoted identifiers and comments alone.
func Rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"': // a literal or a quoted identifier: to its closing quote
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-': // a comment to the end of the line
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end])
			i += end - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// rebinding is a connector whose connections rebind every statement.
type rebinding struct{ driver.Connector }

func (r rebinding) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := r.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{c.(*stdlib.Conn)}, nil
}

func (r rebinding) Driver() driver.Driver { return rebindingDriver{r.Connector.Driver()} }

// rebindingDriver marks the pool's driver (IsPostgres).
type rebindingDriver struct{ driver.Driver }

// rebindConn is pgx's connection with every query rebound; the optional
// interfaces database/sql looks for are all forwarded.
type rebindConn struct{ *stdlib.Conn }

func (c *rebindConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(Rebind(query))
}

func (c *rebindConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, Rebind(query))
}

func (c *rebindConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, Rebind(query), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, Rebind(query), args)
}

// ErrHeld is returned by HoldLock when another session holds the lock.
var ErrHeld = errors.New("held by another session")

// HoldLock takes Postgres advisory lock key for as long as the returned
// release is not called, on a connection of its own (the lock belongs to
// the session). It fails at once with ErrHeld when another session has it.
func HoldLock(ctx context.Context, db *sql.DB, key int64) (release func(), err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, key).Scan(&got); err != nil {
		_ = conn.Close()
		return nil, err
	}
	if !got {
		_ = conn.Close()
		return nil, ErrHeld
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(?)`, key) // closing ends the session's locks anyway
		_ = conn.Close()
	}, nil
}

// ThrowawayDatabase creates an empty database named after prefix in the
// cluster at adminURL (which must name a database to connect to, such as
// postgres) and returns its URL and the function that drops it (the bench
// measures on one).
func ThrowawayDatabase(ctx context.Context, adminURL, prefix string) (dbURL string, drop func(context.Context) error, err error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("sqldb: %w", err)
	}
	admin, err := OpenPostgres(ctx, adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("%s_%d_%d", prefix, os.Getpid(), time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("sqldb: create database %s: %w", name, err)
	}
	u.Path = "/" + name
	drop = func(ctx context.Context) error {
		defer admin.Close()
		_, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	return u.String(), drop, nil
}
