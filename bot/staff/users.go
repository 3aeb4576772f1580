package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
	now := d.now()
	u := User{Username: username, Name: p.name, Role: p.role, Units: p.units, MaxChats: p.maxChats, CreatedAt: now}
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_users WHERE username = ?`, username).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrUsernameTaken
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO staff_users
			(username, name, role, password_hash, max_chats, disabled, failed_logins, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, FALSE, 0, ?, ?) RETURNING id`,
			username, u.Name, string(u.Role), string(hash), u.MaxChats, formatInstant(now), formatInstant(now)).Scan(&u.ID); err != nil {
			if isUniqueViolation(err) {
				return ErrUsernameTaken
			}
			return err
		}
		return setUnits(ctx, tx, u.ID, u.Units)
	})
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
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff_users
			SET name = ?, role = ?, max_chats = ?, disabled = ?, updated_at = ? WHERE id = ?`,
			p.name, string(p.role), p.maxChats, uu.Disabled, formatInstant(d.now()), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		if uu.Disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		kept, err := currentUnits(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := d.checkUnits(p.units, kept); err != nil {
			return err
		}
		return setUnits(ctx, tx, id, p.units)
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
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var username string
		err := tx.QueryRowContext(ctx, `UPDATE staff_users SET password_hash = ?, updated_at = ? WHERE id = ? RETURNING username`,
			string(hash), formatInstant(d.now()), id).Scan(&username)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := clearAttempts(ctx, tx, username); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE user_id = ?`, id)
		return err
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
	return d.one(ctx, `WHERE id = ?`, id)
}

// ByUsername returns the user with username (compared trimmed and lower
// case), or ErrNotFound.
func (d *Directory) ByUsername(ctx context.Context, username string) (User, error) {
	return d.one(ctx, `WHERE username = ?`, normalizeUsername(username))
}

// List returns every user, disabled ones too, by username.
func (d *Directory) List(ctx context.Context) ([]User, error) {
	return d.many(ctx, `ORDER BY username`)
}

// ByUnit returns the enabled users who can see the unit's queue — its
// staff and supervisors, and every city admin — by username.
func (d *Directory) ByUnit(ctx context.Context, unit string) ([]User, error) {
	return d.many(ctx, `WHERE disabled = FALSE AND (role = ? OR (role IN (?, ?) AND EXISTS
		(SELECT 1 FROM staff_units m WHERE m.user_id = staff_users.id AND m.unit_code = ?)))
		ORDER BY username`, string(RoleCityAdmin), string(RoleStaff), string(RoleSupervisor), unit)
}

// Count returns the number of users, disabled ones too.
func (d *Directory) Count(ctx context.Context) (int, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("staff: count users: %w", err)
	}
	return n, nil
}

const userColumns = `id, username, name, role, max_chats, disabled, created_at FROM staff_users `

func (d *Directory) one(ctx context.Context, where string, args ...any) (User, error) {
	us, err := d.many(ctx, where, args...)
	if err != nil {
		return User{}, err
	}
	if len(us) == 0 {
		return User{}, ErrNotFound
	}
	return us[0], nil
}

// many reads the users selected by the rest of a query (WHERE … ORDER BY …)
// and then their units.
func (d *Directory) many(ctx context.Context, rest string, args ...any) ([]User, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+userColumns+rest, args...)
	if err != nil {
		return nil, fmt.Errorf("staff: query users: %w", err)
	}
	defer rows.Close()
	var us []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("staff: scan user: %w", err)
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("staff: query users: %w", err)
	}
	if err := d.loadUnits(ctx, us); err != nil {
		return nil, err
	}
	return us, nil
}

func scanUser(s interface{ Scan(...any) error }) (User, error) {
	var (
		u       User
		role    string
		created string
	)
	if err := s.Scan(&u.ID, &u.Username, &u.Name, &role, &u.MaxChats, &u.Disabled, &created); err != nil {
		return User{}, err
	}
	u.Role = Role(role)
	t, err := parseInstant(created)
	if err != nil {
		return User{}, err
	}
	u.CreatedAt = t
	return u, nil
}

// loadUnits fills the Units of the users that have them.
func (d *Directory) loadUnits(ctx context.Context, us []User) error {
	idx := map[int64]int{}
	var ids []any
	for i, u := range us {
		if u.Role.hasUnits() {
			idx[u.ID] = i
			ids = append(ids, u.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	q := `SELECT user_id, unit_code FROM staff_units WHERE user_id IN (?` +
		strings.Repeat(", ?", len(ids)-1) + `) ORDER BY user_id, unit_code`
	rows, err := d.db.QueryContext(ctx, q, ids...)
	if err != nil {
		return fmt.Errorf("staff: query units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return fmt.Errorf("staff: scan unit: %w", err)
		}
		i := idx[id]
		us[i].Units = append(us[i].Units, code)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("staff: query units: %w", err)
	}
	return nil
}

// currentUnits are the units user id has now.
func currentUnits(ctx context.Context, tx *sql.Tx, id int64) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT unit_code FROM staff_units WHERE user_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	units := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		units[code] = true
	}
	return units, rows.Err()
}

func setUnits(ctx context.Context, tx *sql.Tx, id int64, units []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_units WHERE user_id = ?`, id); err != nil {
		return err
	}
	for _, code := range units {
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_units (user_id, unit_code) VALUES (?, ?)`, id, code); err != nil {
			return err
		}
	}
	return nil
}

// isUniqueViolation recognises a unique-constraint error of SQLite or
// Postgres (a concurrent Create from another process).
func isUniqueViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "duplicate key value")
}
