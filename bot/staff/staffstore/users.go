package staffstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// CreateUser adds u with its units in one transaction and returns its id;
// staff.ErrUsernameTaken when the username is taken.
func (s *Store) CreateUser(ctx context.Context, u staff.User, passwordHash string) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(t *Store) error {
		var n int
		if err := t.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_users WHERE username = ?`, u.Username).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return staff.ErrUsernameTaken
		}
		at := sqldb.FormatInstant(u.CreatedAt)
		if err := t.q.QueryRowContext(ctx, `INSERT INTO staff_users
			(username, name, role, password_hash, max_chats, disabled, failed_logins, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, FALSE, 0, ?, ?) RETURNING id`,
			u.Username, u.Name, string(u.Role), passwordHash, u.MaxChats, at, at).Scan(&id); err != nil {
			if isUniqueViolation(err) {
				return staff.ErrUsernameTaken
			}
			return err
		}
		return t.setUnits(ctx, id, u.Units)
	})
	if errors.Is(err, staff.ErrUsernameTaken) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("staffstore: create user: %w", err)
	}
	return id, nil
}

// UpdateUser sets the user's name, role, max chats and disabled flag;
// staff.ErrNotFound when there is no such user.
func (s *Store) UpdateUser(ctx context.Context, id int64, u staff.User, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE staff_users
		SET name = ?, role = ?, max_chats = ?, disabled = ?, updated_at = ? WHERE id = ?`,
		u.Name, string(u.Role), u.MaxChats, u.Disabled, sqldb.FormatInstant(at), id)
	if err != nil {
		return fmt.Errorf("staffstore: update user: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("staffstore: update user: %w", err)
	}
	if n == 0 {
		return staff.ErrNotFound
	}
	return nil
}

// SetPasswordHash replaces the user's password hash and returns the
// username; staff.ErrNotFound when there is no such user.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string, at time.Time) (string, error) {
	var username string
	err := s.q.QueryRowContext(ctx, `UPDATE staff_users SET password_hash = ?, updated_at = ? WHERE id = ? RETURNING username`,
		hash, sqldb.FormatInstant(at), id).Scan(&username)
	if errors.Is(err, sql.ErrNoRows) {
		return "", staff.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("staffstore: set password: %w", err)
	}
	return username, nil
}

// Units are the unit codes of user id, sorted.
func (s *Store) Units(ctx context.Context, id int64) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT unit_code FROM staff_units WHERE user_id = ? ORDER BY unit_code`, id)
	if err != nil {
		return nil, fmt.Errorf("staffstore: units: %w", err)
	}
	defer rows.Close()
	var units []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("staffstore: units: %w", err)
		}
		units = append(units, code)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("staffstore: units: %w", err)
	}
	return units, nil
}

// SetUnits replaces the units of user id, in one transaction.
func (s *Store) SetUnits(ctx context.Context, id int64, units []string) error {
	if err := s.inTx(ctx, func(t *Store) error { return t.setUnits(ctx, id, units) }); err != nil {
		return fmt.Errorf("staffstore: set units: %w", err)
	}
	return nil
}

func (s *Store) setUnits(ctx context.Context, id int64, units []string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM staff_units WHERE user_id = ?`, id); err != nil {
		return err
	}
	for _, code := range units {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO staff_units (user_id, unit_code) VALUES (?, ?)`, id, code); err != nil {
			return err
		}
	}
	return nil
}

// User returns the user with id, or staff.ErrNotFound.
func (s *Store) User(ctx context.Context, id int64) (staff.User, error) {
	return s.one(ctx, `WHERE id = ?`, id)
}

// UserByUsername returns the user with username, or staff.ErrNotFound.
func (s *Store) UserByUsername(ctx context.Context, username string) (staff.User, error) {
	return s.one(ctx, `WHERE username = ?`, username)
}

// Users returns every user, by username.
func (s *Store) Users(ctx context.Context) ([]staff.User, error) {
	return s.many(ctx, `ORDER BY username`)
}

// UnitUsers returns the enabled city admins, and the enabled staff and
// supervisors who are members of unit, by username.
func (s *Store) UnitUsers(ctx context.Context, unit string) ([]staff.User, error) {
	return s.many(ctx, `WHERE disabled = FALSE AND (role = ? OR (role IN (?, ?) AND EXISTS
		(SELECT 1 FROM staff_units m WHERE m.user_id = staff_users.id AND m.unit_code = ?)))
		ORDER BY username`, string(staff.RoleCityAdmin), string(staff.RoleStaff), string(staff.RoleSupervisor), unit)
}

// CountUsers returns the number of users, disabled ones too.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("staffstore: count users: %w", err)
	}
	return n, nil
}

// Credentials returns what a login checks of username, or
// staff.ErrNotFound.
func (s *Store) Credentials(ctx context.Context, username string) (staff.Credentials, error) {
	var c staff.Credentials
	err := s.q.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM staff_users WHERE username = ?`, username).
		Scan(&c.UserID, &c.PasswordHash, &c.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return staff.Credentials{}, staff.ErrNotFound
	}
	if err != nil {
		return staff.Credentials{}, fmt.Errorf("staffstore: credentials: %w", err)
	}
	return c, nil
}

const userColumns = `id, username, name, role, max_chats, disabled, created_at FROM staff_users `

func (s *Store) one(ctx context.Context, where string, args ...any) (staff.User, error) {
	us, err := s.many(ctx, where, args...)
	if err != nil {
		return staff.User{}, err
	}
	if len(us) == 0 {
		return staff.User{}, staff.ErrNotFound
	}
	return us[0], nil
}

// many reads the users selected by the rest of a query (WHERE … ORDER BY …)
// and then their units.
func (s *Store) many(ctx context.Context, rest string, args ...any) ([]staff.User, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+userColumns+rest, args...)
	if err != nil {
		return nil, fmt.Errorf("staffstore: query users: %w", err)
	}
	defer rows.Close()
	var us []staff.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("staffstore: scan user: %w", err)
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("staffstore: query users: %w", err)
	}
	if err := s.loadUnits(ctx, us); err != nil {
		return nil, err
	}
	return us, nil
}

func scanUser(s interface{ Scan(...any) error }) (staff.User, error) {
	var (
		u       staff.User
		role    string
		created string
	)
	if err := s.Scan(&u.ID, &u.Username, &u.Name, &role, &u.MaxChats, &u.Disabled, &created); err != nil {
		return staff.User{}, err
	}
	u.Role = staff.Role(role)
	t, err := sqldb.ParseInstant(created)
	if err != nil {
		return staff.User{}, err
	}
	u.CreatedAt = t
	return u, nil
}

// loadUnits fills the Units of the users, sorted.
func (s *Store) loadUnits(ctx context.Context, us []staff.User) error {
	if len(us) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(us))
	ids := make([]any, 0, len(us))
	for i, u := range us {
		idx[u.ID] = i
		ids = append(ids, u.ID)
	}
	q := `SELECT user_id, unit_code FROM staff_units WHERE user_id IN (?` +
		strings.Repeat(", ?", len(ids)-1) + `) ORDER BY user_id, unit_code`
	rows, err := s.q.QueryContext(ctx, q, ids...)
	if err != nil {
		return fmt.Errorf("staffstore: query units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return fmt.Errorf("staffstore: scan unit: %w", err)
		}
		i := idx[id]
		us[i].Units = append(us[i].Units, code)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("staffstore: query units: %w", err)
	}
	return nil
}
