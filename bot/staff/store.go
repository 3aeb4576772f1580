package staff

import (
	"context"
	"time"
)

// Store is where the directory keeps its users, sessions and login
// attempts (staffstore.Store on the gateway's database). The rules stay
// here: the directory decides, the store reads and writes.
type Store interface {
	// InTx runs fn in one transaction, on a Store bound to it: committed
	// when fn returns nil, rolled back otherwise. Inside a transaction,
	// InTx runs fn in that same transaction.
	InTx(ctx context.Context, fn func(Store) error) error
	UserStore
	SessionStore
	AttemptStore
}

// UserStore keeps the users and their units. Users come with their
// units; a missing user is ErrNotFound.
type UserStore interface {
	// CreateUser adds u (ID ignored) with its units and returns its id;
	// ErrUsernameTaken when the username is taken.
	CreateUser(ctx context.Context, u User, passwordHash string) (int64, error)
	// UpdateUser sets the user's name, role, max chats and disabled flag.
	UpdateUser(ctx context.Context, id int64, u User, at time.Time) error
	// SetPasswordHash replaces the user's password hash and returns the
	// username.
	SetPasswordHash(ctx context.Context, id int64, hash string, at time.Time) (username string, err error)
	Units(ctx context.Context, id int64) ([]string, error)
	SetUnits(ctx context.Context, id int64, units []string) error

	User(ctx context.Context, id int64) (User, error)
	UserByUsername(ctx context.Context, username string) (User, error)
	Users(ctx context.Context) ([]User, error) // every user, by username
	// UnitUsers are the enabled city admins, and the enabled staff and
	// supervisors who are members of unit, by username.
	UnitUsers(ctx context.Context, unit string) ([]User, error)
	CountUsers(ctx context.Context) (int, error)
	Credentials(ctx context.Context, username string) (Credentials, error)
}

// Credentials is what a login checks.
type Credentials struct {
	UserID       int64
	PasswordHash string // bcrypt
	Disabled     bool
}

// SessionStore keeps the sessions, by the sha256 of their token.
type SessionStore interface {
	// StartSession drops the sessions expired at s.CreatedAt (everyone's)
	// and stores s, in one transaction.
	StartSession(ctx context.Context, s SessionRecord) error
	// Session returns the session of the token hash, expired or not;
	// ErrNoSession when there is none.
	Session(ctx context.Context, tokenHash string) (SessionRecord, error)
	SlideSession(ctx context.Context, tokenHash string, expiresAt time.Time) error
	EndSession(ctx context.Context, tokenHash string) error
	EndUserSessions(ctx context.Context, userID int64) error
}

// SessionRecord is what is stored of a session: never its token.
type SessionRecord struct {
	TokenHash string
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AttemptStore keeps the counters of login attempts, by key (see
// LoginFrom). A key without a row counts zero.
type AttemptStore interface {
	// Attempt returns the key's failures and the end of its lock (zero:
	// not locked).
	Attempt(ctx context.Context, key string) (failures int, lockedUntil time.Time, err error)
	// SetFailures sets the key's failures and lifts its lock.
	SetFailures(ctx context.Context, key string, failures int) error
	// AddLock zeroes the key's failures and returns its locks in a row,
	// this one included.
	AddLock(ctx context.Context, key string) (locks int, err error)
	LockUntil(ctx context.Context, key string, until time.Time) error
	// ForgiveFailure takes one failure off the key's count (not below 0).
	ForgiveFailure(ctx context.Context, key string) error
	// ClearAttempts forgets every key that starts with prefix.
	ClearAttempts(ctx context.Context, prefix string) error
	// ClearAttempt forgets the key.
	ClearAttempt(ctx context.Context, key string) error
}
