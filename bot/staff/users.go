package staff

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// Create adds a user. The username is trimmed and lower-cased, then must
// be 3 to 40 of [a-z0-9._-]; the password at least 10 characters; the role
// known; staff and supervisors need at least one unit (city admins and
// editors keep none). Errors: ErrInvalid (wrapped with the reason),
// ErrUsernameTaken.
func (d *Directory) Create(ctx context.Context, nu NewUser) (User, error) {
	username := normalizeUsername(nu.Username)
	if err := checkUsername(username); err != nil {
		return User{}, err
	}
	p, err := checkProfile(nu.Name, nu.Role, nu.Units, nu.MaxChats)
	if err != nil {
		return User{}, err
	}
	if err := d.checkUnits(p.units, nil); err != nil {
		return User{}, err
	}
	if err := checkPassword(nu.Password); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), d.cfg.BcryptCost)
	if err != nil {
		return User{}, fmt.Errorf("staff: create %s: hash: %w", username, err)
	}
	u := User{Username: username, Name: p.name, Role: p.role, Units: p.units, MaxChats: p.maxChats, CreatedAt: d.now()}
	u.ID, err = d.store.CreateUser(ctx, u, string(hash))
	if err != nil {
		if errors.Is(err, ErrUsernameTaken) {
			return User{}, err
		}
		return User{}, fmt.Errorf("staff: create %s: %w", username, err)
	}
	return u, nil
}

// Update replaces a user's name, role, units, MaxChats and Disabled, with
// the checks of Create. Disabling a user ends their sessions. Errors:
// ErrInvalid, ErrNotFound.
func (d *Directory) Update(ctx context.Context, id int64, uu UserUpdate) error {
	p, err := checkProfile(uu.Name, uu.Role, uu.Units, uu.MaxChats)
	if err != nil {
		return err
	}
	err = d.store.InTx(ctx, func(s Store) error {
		fields := User{Name: p.name, Role: p.role, MaxChats: p.maxChats, Disabled: uu.Disabled}
		if err := s.UpdateUser(ctx, id, fields, d.now()); err != nil {
			return err
		}
		if uu.Disabled {
			if err := s.EndUserSessions(ctx, id); err != nil {
				return err
			}
		}
		current, err := s.Units(ctx, id)
		if err != nil {
			return err
		}
		kept := make(map[string]bool, len(current))
		for _, code := range current {
			kept[code] = true
		}
		if err := d.checkUnits(p.units, kept); err != nil {
			return err
		}
		return s.SetUnits(ctx, id, p.units)
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvalid) {
			return err
		}
		return fmt.Errorf("staff: update user %d: %w", id, err)
	}
	return nil
}

// SetPassword replaces a user's password (checked as in Create), clears a
// lockout and ends all of the user's sessions. Errors: ErrInvalid,
// ErrNotFound.
func (d *Directory) SetPassword(ctx context.Context, id int64, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), d.cfg.BcryptCost)
	if err != nil {
		return fmt.Errorf("staff: set password of user %d: hash: %w", id, err)
	}
	err = d.store.InTx(ctx, func(s Store) error {
		username, err := s.SetPasswordHash(ctx, id, string(hash), d.now())
		if err != nil {
			return err
		}
		// A new password forgets the username's attempts from every client.
		if err := s.ClearAttempts(ctx, userAttempts(username)); err != nil {
			return err
		}
		return s.EndUserSessions(ctx, id)
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return err
		}
		return fmt.Errorf("staff: set password of user %d: %w", id, err)
	}
	return nil
}

// Get returns the user with id, or ErrNotFound.
func (d *Directory) Get(ctx context.Context, id int64) (User, error) {
	u, err := d.store.User(ctx, id)
	return withUnits(u), err
}

// ByUsername returns the user with username (compared trimmed and lower
// case), or ErrNotFound.
func (d *Directory) ByUsername(ctx context.Context, username string) (User, error) {
	u, err := d.store.UserByUsername(ctx, normalizeUsername(username))
	return withUnits(u), err
}

// List returns every user, disabled ones too, by username.
func (d *Directory) List(ctx context.Context) ([]User, error) {
	us, err := d.store.Users(ctx)
	for i := range us {
		us[i] = withUnits(us[i])
	}
	return us, err
}

// ByUnit returns the enabled users who can see the unit's queue — its
// staff and supervisors, and every city admin — by username.
func (d *Directory) ByUnit(ctx context.Context, unit string) ([]User, error) {
	us, err := d.store.UnitUsers(ctx, unit)
	for i := range us {
		us[i] = withUnits(us[i])
	}
	return us, err
}

// Count returns the number of users, disabled ones too.
func (d *Directory) Count(ctx context.Context) (int, error) {
	return d.store.CountUsers(ctx)
}

// withUnits keeps the units of the roles that have units only.
func withUnits(u User) User {
	if !u.Role.hasUnits() {
		u.Units = nil
	}
	return u
}
