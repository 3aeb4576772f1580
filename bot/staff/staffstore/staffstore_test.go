package staffstore_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
)

var t0 = time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)

func newStore(t *testing.T) *staffstore.Store {
	t.Helper()
	db := sqldbtest.Open(t)
	t.Cleanup(func() { _ = db.Close() })
	s, err := staffstore.New(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM schema_migrations WHERE namespace = 'staff'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("staff migrations recorded: %d, %v; want 2 under the namespace \"staff\"", n, err)
	}
	return s
}

func create(t *testing.T, s *staffstore.Store, username string, role staff.Role, units ...string) int64 {
	t.Helper()
	id, err := s.CreateUser(t.Context(), staff.User{Username: username, Name: "Tên " + username, Role: role,
		Units: units, MaxChats: 5, CreatedAt: t0}, "$2a$04$hash")
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", username, err)
	}
	return id
}

func TestUsers(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	lan := create(t, s, "lan", staff.RoleStaff, "26737", "26734")
	create(t, s, "minh", staff.RoleSupervisor, "26740")
	create(t, s, "admin", staff.RoleCityAdmin)
	off := create(t, s, "nghi", staff.RoleStaff, "26734")
	if err := s.UpdateUser(ctx, off, staff.User{Name: "Nghỉ", Role: staff.RoleStaff, MaxChats: 5, Disabled: true}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, staff.User{Username: "lan", Name: "x", Role: staff.RoleEditor, CreatedAt: t0}, "h"); !errors.Is(err, staff.ErrUsernameTaken) {
		t.Errorf("second lan: %v, want ErrUsernameTaken", err)
	}
	names := func(us []staff.User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out
	}
	tests := []struct {
		name string
		get  func() ([]staff.User, error)
		want []string
	}{
		{"all", func() ([]staff.User, error) { return s.Users(ctx) }, []string{"admin", "lan", "minh", "nghi"}},
		{"unit 26734: members and city admins, enabled", func() ([]staff.User, error) { return s.UnitUsers(ctx, "26734") }, []string{"admin", "lan"}},
		{"unit 26740", func() ([]staff.User, error) { return s.UnitUsers(ctx, "26740") }, []string{"admin", "minh"}},
		{"unknown unit", func() ([]staff.User, error) { return s.UnitUsers(ctx, "99999") }, []string{"admin"}},
	}
	for _, tt := range tests {
		us, err := tt.get()
		if err != nil || !slices.Equal(names(us), tt.want) {
			t.Errorf("%s: %q, %v; want %q", tt.name, names(us), err, tt.want)
		}
	}
	u, err := s.User(ctx, lan)
	if err != nil || u.Username != "lan" || !slices.Equal(u.Units, []string{"26734", "26737"}) || !u.CreatedAt.Equal(t0) {
		t.Errorf("User(lan) = %+v, %v", u, err)
	}
	if _, err := s.UserByUsername(ctx, "khong-co"); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("unknown username: %v", err)
	}
	if err := s.UpdateUser(ctx, 999, staff.User{Name: "x", Role: staff.RoleEditor}, t0); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("UpdateUser(999): %v", err)
	}
	if _, err := s.SetPasswordHash(ctx, 999, "h", t0); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("SetPasswordHash(999): %v", err)
	}
	if name, err := s.SetPasswordHash(ctx, lan, "$2a$04$new", t0); err != nil || name != "lan" {
		t.Errorf("SetPasswordHash(lan) = %q, %v", name, err)
	}
	if c, err := s.Credentials(ctx, "lan"); err != nil || c.UserID != lan || c.PasswordHash != "$2a$04$new" || c.Disabled {
		t.Errorf("Credentials(lan) = %+v, %v", c, err)
	}
	if c, err := s.Credentials(ctx, "nghi"); err != nil || !c.Disabled {
		t.Errorf("Credentials(nghi) = %+v, %v", c, err)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 4 {
		t.Errorf("CountUsers = %d, %v", n, err)
	}
}

// InTx commits or rolls back as one; a store bound to a transaction runs
// nested InTx (and its own multi-statement writes) in that transaction.
func TestInTx(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	id := create(t, s, "lan", staff.RoleStaff, "26734")
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx staff.Store) error {
		if err := tx.SetUnits(ctx, id, []string{"26740"}); err != nil {
			return err
		}
		return tx.InTx(ctx, func(inner staff.Store) error {
			if err := inner.SetFailures(ctx, "user:lan|x", 3); err != nil {
				return err
			}
			return boom
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	if units, err := s.Units(ctx, id); err != nil || !slices.Equal(units, []string{"26734"}) {
		t.Errorf("units after a rollback = %q, %v", units, err)
	}
	if n, _, err := s.Attempt(ctx, "user:lan|x"); err != nil || n != 0 {
		t.Errorf("attempt after a rollback = %d, %v", n, err)
	}
	if err := s.InTx(ctx, func(tx staff.Store) error { return tx.SetUnits(ctx, id, []string{"city", "26740"}) }); err != nil {
		t.Fatal(err)
	}
	if units, err := s.Units(ctx, id); err != nil || !slices.Equal(units, []string{"26740", "city"}) {
		t.Errorf("units after a commit = %q, %v", units, err)
	}
}

func TestAttempts(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	type want struct {
		failures int
		until    time.Time
	}
	steps := []struct {
		name string
		do   func() error
		key  string
		want want
	}{
		{"unknown key counts zero", func() error { return nil }, "user:lan|a", want{}},
		{"set", func() error { return s.SetFailures(ctx, "user:lan|a", 4) }, "user:lan|a", want{4, time.Time{}}},
		{"forgive", func() error { return s.ForgiveFailure(ctx, "user:lan|a") }, "user:lan|a", want{3, time.Time{}}},
		{"lock", func() error {
			if locks, err := s.AddLock(ctx, "user:lan|a"); err != nil || locks != 1 {
				return errors.Join(err, errors.New("first lock not 1"))
			}
			return s.LockUntil(ctx, "user:lan|a", t0.Add(15*time.Minute))
		}, "user:lan|a", want{0, t0.Add(15 * time.Minute)}},
		{"forgive stops at zero", func() error { return s.ForgiveFailure(ctx, "user:lan|a") }, "user:lan|a", want{0, t0.Add(15 * time.Minute)}},
		{"set lifts the lock", func() error { return s.SetFailures(ctx, "user:lan|a", 1) }, "user:lan|a", want{1, time.Time{}}},
		{"second lock in a row", func() error {
			if locks, err := s.AddLock(ctx, "user:lan|a"); err != nil || locks != 2 {
				return errors.Join(err, errors.New("second lock not 2"))
			}
			return nil
		}, "user:lan|a", want{0, time.Time{}}},
		{"clear one", func() error {
			if err := s.SetFailures(ctx, "client:b", 2); err != nil {
				return err
			}
			return s.ClearAttempt(ctx, "client:b")
		}, "client:b", want{}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		n, until, err := s.Attempt(ctx, st.key)
		if err != nil || n != st.want.failures || !until.Equal(st.want.until) {
			t.Errorf("%s: Attempt(%s) = %d, %v, %v; want %+v", st.name, st.key, n, until, err, st.want)
		}
	}
	if _, err := s.AddLock(ctx, "user:nobody|x"); err == nil {
		t.Error("AddLock on a key without a row succeeded")
	}
	// ClearAttempts takes the prefix literally: LIKE's wildcards in a
	// username match only themselves.
	for _, k := range []string{"user:a_b|1", "user:a_b|2", "user:axb|1", "user:a%|1", "user:a_bc|1"} {
		if err := s.SetFailures(ctx, k, 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ClearAttempts(ctx, "user:a_b|"); err != nil {
		t.Fatal(err)
	}
	for k, left := range map[string]bool{"user:a_b|1": false, "user:a_b|2": false, "user:axb|1": true, "user:a%|1": true, "user:a_bc|1": true} {
		if n, _, err := s.Attempt(ctx, k); err != nil || (n == 1) != left {
			t.Errorf("after clearing user:a_b|: %s has %d failures (%v), want kept %v", k, n, err, left)
		}
	}
}

func TestSessions(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	lan := create(t, s, "lan", staff.RoleStaff, "26734")
	minh := create(t, s, "minh", staff.RoleStaff, "26734")
	start := func(hash string, user int64, at time.Time) {
		t.Helper()
		if err := s.StartSession(ctx, staff.SessionRecord{TokenHash: hash, UserID: user, CSRF: "csrf-" + hash,
			CreatedAt: at, ExpiresAt: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	start("old", lan, t0)
	start("a", lan, t0.Add(30*time.Minute))
	start("b", minh, t0.Add(time.Hour)) // "old" expired at this instant: dropped
	if err := s.SlideSession(ctx, "a", t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		hash    string
		user    int64
		expires time.Time
		gone    bool
	}{
		{hash: "old", gone: true},
		{hash: "a", user: lan, expires: t0.Add(3 * time.Hour)},
		{hash: "b", user: minh, expires: t0.Add(2 * time.Hour)},
		{hash: "nope", gone: true},
	}
	for _, tt := range tests {
		r, err := s.Session(ctx, tt.hash)
		if tt.gone {
			if !errors.Is(err, staff.ErrNoSession) {
				t.Errorf("Session(%s) = %+v, %v; want ErrNoSession", tt.hash, r, err)
			}
			continue
		}
		if err != nil || r.UserID != tt.user || r.CSRF != "csrf-"+tt.hash || !r.ExpiresAt.Equal(tt.expires) {
			t.Errorf("Session(%s) = %+v, %v", tt.hash, r, err)
		}
	}
	if err := s.EndUserSessions(ctx, lan); err != nil {
		t.Fatal(err)
	}
	if err := s.EndSession(ctx, "nope"); err != nil {
		t.Errorf("EndSession of an unknown hash: %v", err)
	}
	if _, err := s.Session(ctx, "a"); !errors.Is(err, staff.ErrNoSession) {
		t.Errorf("lan's session after EndUserSessions: %v", err)
	}
	if err := s.EndSession(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, "b"); !errors.Is(err, staff.ErrNoSession) {
		t.Errorf("session after EndSession: %v", err)
	}
}
