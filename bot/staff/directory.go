package staff

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"golang.org/x/crypto/bcrypt"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Defaults for the zero values of Config.
const (
	DefaultSessionTTL  = 12 * time.Hour
	DefaultMaxFailures = 5
	DefaultLockFor     = 15 * time.Minute
)

// Config tunes a Directory. Zero values take the defaults.
type Config struct {
	Now         func() time.Time // clock; default time.Now
	SessionTTL  time.Duration    // idle lifetime of a session, sliding; default 12h
	MaxFailures int              // wrong passwords in a row that lock an account; default 5
	LockFor     time.Duration    // how long a lock lasts; default 15m
	BcryptCost  int              // default bcrypt.DefaultCost; tests may use bcrypt.MinCost
	// CheckUnit says whether a unit code given to a user names a unit of
	// the knowledge base (knowledge.KB.CheckHCMCUnit): nil, or an error
	// naming the code. nil: any 5-digit code is taken.
	CheckUnit func(code string) error
}

// Directory is the staff users and their sessions, on SQL.
type Directory struct {
	db  *sql.DB
	cfg Config
	// dummyHash is compared against when the username is unknown, so that
	// a wrong username takes as long as a wrong password.
	dummyHash []byte
}

// New applies the staff migrations to db and returns a Directory on it.
func New(ctx context.Context, db *sql.DB, cfg Config) (*Directory, error) {
	cfg = withDefaults(cfg)
	if cfg.BcryptCost < bcrypt.MinCost || cfg.BcryptCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("staff: bcrypt cost %d out of range", cfg.BcryptCost)
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	if err := sqldb.Migrate(ctx, db, sub, "staff"); err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte(randomToken()), cfg.BcryptCost)
	if err != nil {
		return nil, fmt.Errorf("staff: dummy hash: %w", err)
	}
	return &Directory{db: db, cfg: cfg, dummyHash: dummy}, nil
}

func withDefaults(c Config) Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = DefaultMaxFailures
	}
	if c.LockFor <= 0 {
		c.LockFor = DefaultLockFor
	}
	if c.BcryptCost == 0 {
		c.BcryptCost = bcrypt.DefaultCost
	}
	return c
}

func (d *Directory) now() time.Time { return d.cfg.Now().UTC() }

// inTx runs fn in one transaction (sqldb.InTx on this db).
func (d *Directory) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return sqldb.InTx(ctx, d.db, nil, fn)
}

// randomToken returns 32 random bytes, base64url without padding.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Instants are stored as fixed-width UTC text (portable to Postgres; text
// order is time order), as in bot/store.
const instantLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatInstant(t time.Time) string { return t.UTC().Format(instantLayout) }

func parseInstant(s string) (time.Time, error) {
	t, err := time.Parse(instantLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("instant %q: %w", s, err)
	}
	return t.UTC(), nil
}
