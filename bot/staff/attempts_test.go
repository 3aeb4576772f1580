package staff_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// Parallel guesses cannot pass the limit: attempts are counted before the
// password is checked, so of 150 guesses at once only MaxFailures are
// checked, and the right password after them is refused.
func TestParallelGuessesStopAtTheLimit(t *testing.T) {
	t.Parallel()
	d := newDirectory(t, newClock())
	ctx := context.Background()
	mustCreate(t, d, staff.NewUser{Username: "lan", Role: staff.RoleStaff, Units: []string{"26734"}})
	var (
		mu          sync.Mutex
		bad, locked int
		wg          sync.WaitGroup
	)
	for i := range 150 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := d.LoginFrom(ctx, "lan", "wrong-password", "203.0.113.9")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, staff.ErrLocked):
				locked++
			case errors.Is(err, staff.ErrBadCredentials):
				bad++
			default:
				t.Errorf("guess %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if bad >= staff.DefaultMaxFailures || bad+locked != 150 {
		t.Errorf("%d guesses checked and refused as wrong, %d refused as locked; want fewer than %d checked", bad, locked, staff.DefaultMaxFailures)
	}
	if _, err := d.LoginFrom(ctx, "lan", goodPassword, "203.0.113.9"); !errors.Is(err, staff.ErrLocked) {
		t.Errorf("right password after 150 guesses = %v, want locked", err)
	}
}

// One client's guesses lock that client out of that account, not the
// account's owner elsewhere; an unknown username is answered exactly like
// a known one; a client guessing across usernames is stopped too; locks in
// a row grow longer.
func TestLockIsPerClient(t *testing.T) {
	t.Parallel()
	c := newClock()
	d := newDirectory(t, c)
	ctx := context.Background()
	mustCreate(t, d, staff.NewUser{Username: "admin", Role: staff.RoleCityAdmin})
	const attacker, office = "198.51.100.7", "10.0.0.2"

	lockWith := func(username string) error {
		var err error
		for range staff.DefaultMaxFailures {
			_, err = d.LoginFrom(ctx, username, "wrong-password", attacker)
		}
		return err
	}
	var le *staff.LockedError
	if err := lockWith("admin"); !errors.As(err, &le) || !le.Until.Equal(c.Now().Add(staff.DefaultLockFor)) {
		t.Fatalf("known user, fifth guess = %v, want locked for 15 minutes", err)
	}
	if _, err := d.LoginFrom(ctx, "admin", goodPassword, office); err != nil {
		t.Errorf("the owner from the office while the attacker is locked out = %v", err)
	}
	if err := lockWith("khong-co-ai"); !errors.As(err, &le) {
		t.Errorf("unknown user, fifth guess = %v, want the same lock as a known user", err)
	}
	// The client's own limit, across usernames: 4 × MaxFailures guesses.
	for i := range 2 * staff.DefaultMaxFailures {
		_, _ = d.LoginFrom(ctx, "nguoi-khac-"+string(rune('a'+i)), "wrong-password", attacker)
	}
	if _, err := d.LoginFrom(ctx, "admin", goodPassword, attacker); !errors.Is(err, staff.ErrLocked) {
		t.Errorf("right password from a client that guessed 20 times = %v, want locked", err)
	}
	// After the lock, the next five wrong guesses lock for twice as long.
	c.Advance(staff.DefaultLockFor)
	second := staff.DefaultMaxFailures
	var err error
	for range second {
		_, err = d.LoginFrom(ctx, "admin", "wrong-password", "192.0.2.44")
	}
	if _, err = d.LoginFrom(ctx, "admin", "wrong-password", "192.0.2.44"); !errors.As(err, &le) {
		t.Fatalf("after the first lock: %v", err)
	}
	c.Advance(staff.DefaultLockFor)
	for range second {
		_, err = d.LoginFrom(ctx, "admin", "wrong-password", "192.0.2.44")
	}
	if !errors.As(err, &le) || !le.Until.Equal(c.Now().Add(2*staff.DefaultLockFor)) {
		t.Errorf("second lock in a row = %v, want twice as long", err)
	}
}
