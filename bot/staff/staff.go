// Package staff owns the people who work the gateway's consoles: staff
// users, their roles and unit memberships, password login with lockout, and
// login sessions. It holds the rules; a Store keeps the data
// (bot/staff/staffstore, on the gateway's one database). It knows nothing
// about HTTP: handlers/auth turns its sessions into cookies.
package staff

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	RoleStaff      Role = "staff"      // works the queues of their units
	RoleSupervisor Role = "supervisor" // their units + reassign + reports
	RoleCityAdmin  Role = "city_admin" // every unit, users, dashboard
	RoleEditor     Role = "editor"     // knowledge base only, no queues
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleStaff, RoleSupervisor, RoleCityAdmin, RoleEditor:
		return true
	}
	return false
}

// hasUnits reports whether users of role r are members of units.
func (r Role) hasUnits() bool { return r == RoleStaff || r == RoleSupervisor }

// CityQueue is the pseudo unit code of the city-level queue (handoffs whose
// unit is not known).
const CityQueue = "city"

// DefaultMaxChats is the MaxChats of a user created or updated with 0.
const DefaultMaxChats = 5

// User is a console user. A disabled user can do nothing.
type User struct {
	ID       int64
	Username string
	Name     string
	Role     Role
	// Units are new-unit codes (e.g. "26740") or CityQueue, sorted; empty
	// for city admins and editors.
	Units []string
	// MaxChats is how many chats the user may own at once.
	MaxChats  int
	Disabled  bool
	CreatedAt time.Time
}

// CanSeeUnit reports whether u may see the queue and chats of the unit
// code: city admins any, staff and supervisors their units, editors none.
func (u User) CanSeeUnit(code string) bool {
	switch {
	case u.Disabled || code == "":
		return false
	case u.Role == RoleCityAdmin:
		return true
	case u.Role.hasUnits():
		return slices.Contains(u.Units, code)
	}
	return false
}

// CanWorkQueues reports whether u takes chats: staff, supervisors, city admins.
func (u User) CanWorkQueues() bool {
	return !u.Disabled && (u.Role.hasUnits() || u.Role == RoleCityAdmin)
}

// CanReassign reports whether u may move chats between people and units.
func (u User) CanReassign() bool {
	return !u.Disabled && (u.Role == RoleSupervisor || u.Role == RoleCityAdmin)
}

// CanSeeReports reports whether u may see the reports of their units.
func (u User) CanSeeReports() bool {
	return !u.Disabled && (u.Role == RoleSupervisor || u.Role == RoleCityAdmin)
}

// CanEditKB reports whether u may edit the knowledge base.
func (u User) CanEditKB() bool {
	return !u.Disabled && (u.Role == RoleEditor || u.Role == RoleCityAdmin)
}

// IsCityAdmin reports whether u administers the whole city (users, dashboard).
func (u User) IsCityAdmin() bool { return !u.Disabled && u.Role == RoleCityAdmin }

// NewUser is what Create needs. MaxChats 0 means DefaultMaxChats.
type NewUser struct {
	Username, Name, Password string
	Role                     Role
	Units                    []string
	MaxChats                 int
}

// UserUpdate replaces a user's editable fields. MaxChats 0 means
// DefaultMaxChats. Disabling a user ends their sessions.
type UserUpdate struct {
	Name     string
	Role     Role
	Units    []string
	MaxChats int
	Disabled bool
}

// Session is a logged-in user. Token is the secret the browser keeps (only
// its sha256 is stored); CSRF is the session's anti-forgery token.
type Session struct {
	Token     string
	CSRF      string
	User      User
	ExpiresAt time.Time
}

// Errors callers branch on. ErrInvalid is wrapped with an English reason;
// callers show their own text.
var (
	ErrNotFound       = errors.New("staff: user not found")
	ErrUsernameTaken  = errors.New("staff: username taken")
	ErrBadCredentials = errors.New("staff: wrong username or password")
	ErrLocked         = errors.New("staff: account locked after too many failed logins")
	ErrNoSession      = errors.New("staff: no valid session")
	ErrInvalid        = errors.New("staff: invalid")
)

// LockedError is the error of a login refused because the account is
// locked; errors.Is(err, ErrLocked) holds. Until is when logins are
// accepted again.
type LockedError struct {
	Until time.Time
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%v until %s", ErrLocked, e.Until.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }
