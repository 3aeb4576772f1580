package staff

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"
)

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

// Directory is the staff users and their sessions, kept in a Store.
type Directory struct {
	store Store
	cfg   Config
	// dummyHash is compared against when the username is unknown, so that
	// a wrong username takes as long as a wrong password.
	dummyHash []byte
}

// New returns a Directory keeping its users and sessions in store.
func New(store Store, cfg Config) (*Directory, error) {
	if store == nil {
		return nil, errors.New("staff: nil store")
	}
	cfg = withDefaults(cfg)
	if cfg.BcryptCost < bcrypt.MinCost || cfg.BcryptCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("staff: bcrypt cost %d out of range", cfg.BcryptCost)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte(randomToken()), cfg.BcryptCost)
	if err != nil {
		return nil, fmt.Errorf("staff: dummy hash: %w", err)
	}
	return &Directory{store: store, cfg: cfg, dummyHash: dummy}, nil
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

// randomToken returns 32 random bytes, base64url without padding.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}
