package staff_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"golang.org/x/crypto/bcrypt"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
)

func TestSessionExpiryAndSliding(t *testing.T) {
	t.Parallel()
	c := newClock()
	d := newDirectory(t, c)
	ctx := context.Background()
	mustCreate(t, d, staff.NewUser{Username: "lan", Role: staff.RoleStaff, Units: []string{"26734"}})
	s, err := d.Login(ctx, "lan", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !s.ExpiresAt.Equal(c.Now().Add(staff.DefaultSessionTTL)) {
		t.Errorf("ExpiresAt = %v", s.ExpiresAt)
	}
	// Used every 11 hours, it lives on past the first 12.
	for i := range 3 {
		c.Advance(11 * time.Hour)
		got, err := d.Session(ctx, s.Token)
		if err != nil {
			t.Fatalf("use %d: %v", i+1, err)
		}
		if !got.ExpiresAt.Equal(c.Now().Add(staff.DefaultSessionTTL)) || got.Token != s.Token || got.CSRF != s.CSRF {
			t.Errorf("use %d: %+v", i+1, got)
		}
	}
	// Left idle for the whole TTL, it expires.
	c.Advance(staff.DefaultSessionTTL)
	if _, err := d.Session(ctx, s.Token); !errors.Is(err, staff.ErrNoSession) {
		t.Errorf("idle session = %v", err)
	}
	for _, tok := range []string{"", "not-a-token", s.Token + "x"} {
		if _, err := d.Session(ctx, tok); !errors.Is(err, staff.ErrNoSession) {
			t.Errorf("Session(%q) = %v", tok, err)
		}
	}
}

func TestSessionEnds(t *testing.T) {
	t.Parallel()
	d := newDirectory(t, newClock())
	ctx := context.Background()
	u := mustCreate(t, d, staff.NewUser{Username: "lan", Role: staff.RoleStaff, Units: []string{"26734"}})
	login := func() staff.Session {
		t.Helper()
		s, err := d.Login(ctx, "lan", goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	live := func(s staff.Session) bool {
		_, err := d.Session(ctx, s.Token)
		if err != nil && !errors.Is(err, staff.ErrNoSession) {
			t.Fatal(err)
		}
		return err == nil
	}

	// Logout ends one session, not the others; twice is fine.
	a, b := login(), login()
	if err := d.Logout(ctx, a.Token); err != nil {
		t.Fatal(err)
	}
	if err := d.Logout(ctx, a.Token); err != nil {
		t.Errorf("second logout: %v", err)
	}
	if live(a) || !live(b) {
		t.Errorf("after logout of a: a live %v, b live %v", live(a), live(b))
	}

	// SetPassword ends every session of the user.
	c := login()
	if err := d.SetPassword(ctx, u.ID, "mat-khau-moi-2"); err != nil {
		t.Fatal(err)
	}
	if live(b) || live(c) {
		t.Error("sessions survive SetPassword")
	}

	// Disabling ends them too, and re-enabling does not bring them back.
	s, err := d.Login(ctx, "lan", "mat-khau-moi-2")
	if err != nil {
		t.Fatal(err)
	}
	up := staff.UserUpdate{Name: u.Name, Role: u.Role, Units: u.Units, Disabled: true}
	if err := d.Update(ctx, u.ID, up); err != nil {
		t.Fatal(err)
	}
	if live(s) {
		t.Error("session survives disabling")
	}
	up.Disabled = false
	if err := d.Update(ctx, u.ID, up); err != nil {
		t.Fatal(err)
	}
	if live(s) {
		t.Error("session back after re-enabling")
	}
}

// A role change shows in the next Session call: the user is read afresh.
func TestSessionSeesRoleChange(t *testing.T) {
	t.Parallel()
	d := newDirectory(t, newClock())
	ctx := context.Background()
	u := mustCreate(t, d, staff.NewUser{Username: "lan", Role: staff.RoleStaff, Units: []string{"26734"}})
	s, err := d.Login(ctx, "lan", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Update(ctx, u.ID, staff.UserUpdate{Name: u.Name, Role: staff.RoleEditor}); err != nil {
		t.Fatal(err)
	}
	got, err := d.Session(ctx, s.Token)
	if err != nil || got.User.Role != staff.RoleEditor || got.User.CanWorkQueues() || len(got.User.Units) != 0 {
		t.Errorf("Session after role change = %+v, %v", got.User, err)
	}
}

// Only the sha256 of a token is stored, never the token or the password.
func TestSessionTokenNotStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := sqldbtest.Open(t)
	st, err := staffstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	d, err := staff.New(st, staff.Config{BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, d, staff.NewUser{Username: "lan", Role: staff.RoleStaff, Units: []string{"26734"}})
	s, err := d.Login(ctx, "lan", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	var hash, pw string
	if err := db.QueryRowContext(ctx, `SELECT token_hash FROM staff_sessions`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT password_hash FROM staff_users`).Scan(&pw); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(s.Token))
	if hash != hex.EncodeToString(sum[:]) {
		t.Errorf("token_hash %q is not the sha256 of the token", hash)
	}
	if strings.Contains(pw, goodPassword) || !strings.HasPrefix(pw, "$2") {
		t.Errorf("password_hash %q is not a bcrypt hash", pw)
	}
}
