package lease_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
)

func open(t *testing.T) *sql.DB {
	t.Helper()
	db := sqldbtest.Open(t)
	if err := lease.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestAcquire(t *testing.T) {
	ctx := t.Context()
	db := open(t)
	t0 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	const ttl = 10 * time.Second
	type step struct {
		what      string
		holder    string
		at        time.Duration // after t0
		ok        bool
		epoch     int64
		fresh     bool
		releaseIt bool // release the lease it gets
	}
	steps := []step{
		{what: "free: taken", holder: "a", at: 0, ok: true, epoch: 1, fresh: true},
		{what: "renewed by its holder", holder: "a", at: 3 * time.Second, ok: true, epoch: 1},
		{what: "refused to another while live", holder: "b", at: 12 * time.Second, ok: false},
		{what: "renewed again", holder: "a", at: 12 * time.Second, ok: true, epoch: 1},
		{what: "expired: taken over", holder: "b", at: 22 * time.Second, ok: true, epoch: 2, fresh: true},
		{what: "the old holder is refused", holder: "a", at: 23 * time.Second, ok: false},
		{what: "renewed by the new holder, then released", holder: "b", at: 24 * time.Second, ok: true, epoch: 2, releaseIt: true},
		{what: "released: taken at once", holder: "a", at: 24 * time.Second, ok: true, epoch: 3, fresh: true},
		{what: "a holder back after its own expiry starts a new epoch", holder: "a", at: 40 * time.Second, ok: true, epoch: 4, fresh: true},
	}
	for _, s := range steps {
		now := t0.Add(s.at)
		l, ok, err := lease.Acquire(ctx, db, "outbox:telegram", s.holder, now, ttl)
		if err != nil {
			t.Fatalf("%s: %v", s.what, err)
		}
		if ok != s.ok || l.Epoch != s.epoch || l.New != s.fresh {
			t.Errorf("%s: ok %v epoch %d new %v, want %v %d %v", s.what, ok, l.Epoch, l.New, s.ok, s.epoch, s.fresh)
		}
		if ok && s.releaseIt {
			if err := lease.Release(ctx, db, l, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Another name is another lease.
	if l, ok, err := lease.Acquire(ctx, db, "outbox:zalo-oa", "b", t0.Add(40*time.Second), ttl); err != nil || !ok || l.Epoch != 1 {
		t.Errorf("another name: %+v %v %v", l, ok, err)
	}
	if _, _, err := lease.Acquire(ctx, db, "", "a", t0, ttl); err == nil {
		t.Error("a lease without a name was acquired")
	}
}

// A holder that lost its lease cannot write under it: the fence refuses
// the old epoch, and Release of the old epoch frees nothing.
func TestFence(t *testing.T) {
	ctx := t.Context()
	db := open(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE tokens (app TEXT PRIMARY KEY, token TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO tokens VALUES ('oa', 't0')`); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	a, _, err := lease.Acquire(ctx, db, "zalo-oa-token", "a", t0, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	b, ok, err := lease.Acquire(ctx, db, "zalo-oa-token", "b", t0.Add(6*time.Second), 5*time.Second)
	if err != nil || !ok {
		t.Fatalf("take over: %v %v", ok, err)
	}
	write := func(l lease.Lease, token string, at time.Time) int64 {
		res, err := db.ExecContext(ctx, `UPDATE tokens SET token = ? WHERE app = 'oa' AND `+lease.FenceSQL,
			append([]any{token}, l.FenceArgs(at)...)...)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := res.RowsAffected()
		return n
	}
	now := t0.Add(7 * time.Second)
	if n := write(a, "from a", now); n != 0 {
		t.Error("the old holder wrote under a lost lease")
	}
	if n := write(b, "from b", now); n != 1 {
		t.Error("the holder could not write under its lease")
	}
	if n := write(b, "late b", t0.Add(12*time.Second)); n != 0 {
		t.Error("a write went through after the lease expired")
	}
	if held, err := lease.Held(ctx, db, a, now); err != nil || held {
		t.Errorf("the lost lease is held: %v %v", held, err)
	}
	if err := lease.Release(ctx, db, a, now); err != nil {
		t.Fatal(err)
	}
	if held, err := lease.Held(ctx, db, b, now); err != nil || !held {
		t.Errorf("releasing the old epoch freed the new holder's lease: %v %v", held, err)
	}
}

// Gateways racing for one lease through their own connection pools get
// one winner per lease, on both backends.
func TestAcquireRace(t *testing.T) {
	ctx := context.Background()
	loc := sqldbtest.Location(t)
	pools := []*sql.DB{sqldbtest.OpenAt(t, loc), sqldbtest.OpenAt(t, loc)}
	if err := lease.Migrate(ctx, pools[0]); err != nil {
		t.Fatal(err)
	}
	const names, racers = 20, 8
	now := time.Now()
	var mu sync.Mutex
	winners := map[string][]string{}
	var wg sync.WaitGroup
	for r := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := pools[r%len(pools)]
			holder := fmt.Sprint("gw", r)
			for n := range names {
				name := fmt.Sprint("job:", n)
				_, ok, err := lease.Acquire(ctx, db, name, holder, now, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					winners[name] = append(winners[name], holder)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for n := range names {
		name := fmt.Sprint("job:", n)
		if w := winners[name]; len(w) != 1 {
			t.Errorf("%s won by %q, want one holder", name, w)
		}
	}
}
