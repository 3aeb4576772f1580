package staff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	d := newDirectory(t, newClock())
	ctx := context.Background()
	lan := mustCreate(t, d, staff.NewUser{Username: "lan", Role: staff.RoleStaff, Units: []string{"26734"}})
	off := mustCreate(t, d, staff.NewUser{Username: "off", Role: staff.RoleEditor})
	if err := d.Update(ctx, off.ID, staff.UserUpdate{Name: "Off", Role: staff.RoleEditor, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, username, password string
		want                     error
	}{
		{"right", "lan", goodPassword, nil},
		{"right, username in capitals", " LAN ", goodPassword, nil},
		{"wrong password", "lan", goodPassword + "x", staff.ErrBadCredentials},
		{"empty password", "lan", "", staff.ErrBadCredentials},
		{"unknown user", "nobody", goodPassword, staff.ErrBadCredentials},
		{"disabled user, right password", "off", goodPassword, staff.ErrBadCredentials},
		{"disabled user, wrong password", "off", "wrong-password", staff.ErrBadCredentials},
	}
	for _, tt := range tests {
		s, err := d.Login(ctx, tt.username, tt.password)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: Login = %v, want %v", tt.name, err, tt.want)
			continue
		}
		if err != nil {
			continue
		}
		if len(s.Token) != 43 || len(s.CSRF) != 43 || s.Token == s.CSRF || s.User.ID != lan.ID || s.User.Units[0] != "26734" {
			t.Errorf("%s: session %+v", tt.name, s)
		}
		if got, err := d.Session(ctx, s.Token); err != nil || got.User.ID != lan.ID || got.CSRF != s.CSRF {
			t.Errorf("%s: Session = %+v, %v", tt.name, got, err)
		}
	}
}

func TestLoginLockout(t *testing.T) {
	t.Parallel()
	c := newClock()
	d := newDirectory(t, c)
	ctx := context.Background()
	mustCreate(t, d, staff.NewUser{Username: "lan", Role: staff.RoleStaff, Units: []string{"26734"}})
	mustCreate(t, d, staff.NewUser{Username: "binh", Role: staff.RoleStaff, Units: []string{"26734"}})

	// A success in between resets the count.
	for range staff.DefaultMaxFailures - 1 {
		if _, err := d.Login(ctx, "lan", "wrong-password"); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("failure before the limit: %v", err)
		}
	}
	if _, err := d.Login(ctx, "lan", goodPassword); err != nil {
		t.Fatalf("login after 4 failures: %v", err)
	}
	for i := range staff.DefaultMaxFailures - 1 {
		if _, err := d.Login(ctx, "lan", "wrong-password"); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("failure %d after the reset: %v", i+1, err)
		}
	}
	// The fifth failure in a row locks.
	_, err := d.Login(ctx, "lan", "wrong-password")
	var le *staff.LockedError
	if !errors.Is(err, staff.ErrLocked) || !errors.As(err, &le) || !le.Until.Equal(c.Now().Add(staff.DefaultLockFor)) {
		t.Fatalf("fifth failure = %v, want locked until now+15m", err)
	}
	// Locked: even the right password is refused; other users are not affected.
	c.Advance(staff.DefaultLockFor - time.Second)
	if _, err := d.Login(ctx, "lan", goodPassword); !errors.Is(err, staff.ErrLocked) {
		t.Errorf("right password while locked = %v", err)
	}
	if _, err := d.Login(ctx, "binh", goodPassword); err != nil {
		t.Errorf("other user while lan is locked = %v", err)
	}
	// Unlocked when LockFor has passed.
	c.Advance(time.Second)
	if _, err := d.Login(ctx, "lan", goodPassword); err != nil {
		t.Errorf("right password after the lock = %v", err)
	}
	// A fresh count after the lock: one failure does not lock again.
	if _, err := d.Login(ctx, "lan", "wrong-password"); !errors.Is(err, staff.ErrBadCredentials) {
		t.Errorf("failure after unlock = %v", err)
	}
}

func TestSetPasswordClearsLock(t *testing.T) {
	t.Parallel()
	d := newDirectory(t, newClock())
	ctx := context.Background()
	u := mustCreate(t, d, staff.NewUser{Username: "lan", Role: staff.RoleStaff, Units: []string{"26734"}})
	for range staff.DefaultMaxFailures {
		_, _ = d.Login(ctx, "lan", "wrong-password")
	}
	if _, err := d.Login(ctx, "lan", goodPassword); !errors.Is(err, staff.ErrLocked) {
		t.Fatalf("not locked: %v", err)
	}
	if err := d.SetPassword(ctx, u.ID, "short"); !errors.Is(err, staff.ErrInvalid) {
		t.Errorf("SetPassword(short) = %v", err)
	}
	if err := d.SetPassword(ctx, 999, "mat-khau-moi-2"); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("SetPassword(999) = %v", err)
	}
	if err := d.SetPassword(ctx, u.ID, "mat-khau-moi-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Login(ctx, "lan", goodPassword); !errors.Is(err, staff.ErrBadCredentials) {
		t.Errorf("old password = %v", err)
	}
	if _, err := d.Login(ctx, "lan", "mat-khau-moi-2"); err != nil {
		t.Errorf("new password = %v", err)
	}
}
