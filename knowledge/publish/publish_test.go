package publish

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/meili"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
	"github.com/hoiphuong/hoiphuong/knowledge/search"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	"github.com/hoiphuong/hoiphuong/knowledge/store"
)

func TestMain(m *testing.M) { meilitest.Main(m) }

// rig is a store with the seed published as version 1, its indexes built,
// and a Publisher counting Apply calls.
type rig struct {
	db      *sql.DB
	store   *store.Store
	index   *search.Index
	pub     *Publisher
	applied atomic.Int32
	last    atomic.Pointer[knowledge.KB]
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := t.Context()
	db := sqldbtest.Open(t)
	kbs, err := store.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{db: db, store: kbs}
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.store.SaveVersion(ctx, kb, "seed", "seed"); err != nil {
		t.Fatal(err)
	}
	client, prefix := meilitest.Client(t)
	r.index = search.New(client, prefix, search.WithSynonyms(seed.Synonyms()))
	if _, err := r.index.Build(ctx, kb); err != nil {
		t.Fatal(err)
	}
	r.pub = r.publisher(t, r.index)
	return r
}

func (r *rig) publisher(t *testing.T, ix *search.Index) *Publisher {
	t.Helper()
	p, err := New(Config{Store: r.store, Index: ix, Apply: func(kb *knowledge.KB) {
		r.applied.Add(1)
		r.last.Store(kb)
	}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// zebra is a procedure no seed word finds, so a search shows which KB the
// live indexes hold.
var zebra = knowledge.Procedure{ID: "thu-tuc-ngua-van", Name: "Đăng ký ngựa vằn zebra", Authority: "UBND cấp xã",
	OfficeLevels: []string{knowledge.LevelCommune}, FileAnywhere: "yes", Online: "yes", Confidence: "low"}

func (r *rig) finds(t *testing.T, q string) bool {
	t.Helper()
	hits, err := r.index.SearchProcedures(t.Context(), q, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.ID == zebra.ID {
			return true
		}
	}
	return false
}

func TestPublishAndRollback(t *testing.T) {
	ctx := t.Context()
	r := newRig(t)
	if err := r.store.SaveProcedure(ctx, "an", zebra); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	info, err := r.pub.Publish(ctx, "an", "Thêm thủ tục ngựa vằn", asOf)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("publish_s=%.3f (full KB: seed with 3,321 units, 10,571 old→new rows, 124+1 procedures)", time.Since(start).Seconds())
	if info.Version != 2 || !info.AsOf.Equal(asOf) || info.Author != "an" || info.Status != store.StatusPublished {
		t.Errorf("published %+v, want version 2 (the draft takes no number) as of %v by an", info, asOf)
	}
	latest, err := r.store.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if latest.Version != 2 || !latest.AsOf.Equal(asOf) || latest.Procedures[len(latest.Procedures)-1].ID != zebra.ID {
		t.Errorf("latest: version %d as of %v", latest.Version, latest.AsOf)
	}
	if v, err := r.index.Version(ctx); err != nil || v != 2 {
		t.Errorf("index version %d (%v), want 2", v, err)
	}
	if !r.finds(t, "ngựa vằn zebra") {
		t.Error("the published procedure is not searchable")
	}
	if n, kb := r.applied.Load(), r.last.Load(); n != 1 || kb.Version != 2 || !kb.AsOf.Equal(asOf) {
		t.Errorf("Apply called %d times, last with version %d as of %v", n, kb.Version, kb.AsOf)
	}
	if _, _, err := r.store.DraftKB(ctx); !errors.Is(err, store.ErrNoDraft) {
		t.Errorf("draft after publish: %v, want none", err)
	}
	if _, err := r.pub.Publish(ctx, "an", "again", time.Time{}); !errors.Is(err, store.ErrNoDraft) {
		t.Errorf("publish with no draft: %v, want ErrNoDraft", err)
	}

	// A new draft edit, then a rollback to version 1: the zebra goes, the draft stays.
	if err := r.store.SaveSynonym(ctx, "binh", knowledge.Synonym{Phrase: "ngựa sọc", Means: "ngựa vằn"}); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	back, err := r.pub.Rollback(ctx, "binh", 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rollback_s=%.3f", time.Since(start).Seconds())
	if back.Version != 3 || back.Changelog != "Khôi phục phiên bản 1" || !back.AsOf.Equal(seed.AsOf) {
		t.Errorf("rollback made %+v, want version 3 as of the seed's date", back)
	}
	latest, err = r.store.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range latest.Procedures {
		if p.ID == zebra.ID {
			t.Error("rolled back KB still has the procedure of version 2")
		}
	}
	if r.finds(t, "ngựa vằn zebra") {
		t.Error("rolled back indexes still find the procedure of version 2")
	}
	if n, kb := r.applied.Load(), r.last.Load(); n != 2 || kb.Version != 3 {
		t.Errorf("Apply after rollback: %d calls, version %d", n, kb.Version)
	}
	draft, d, err := r.store.DraftKB(ctx)
	if err != nil || d.Revision != 1 || draft.Procedures[len(draft.Procedures)-1].ID != zebra.ID {
		t.Errorf("draft after rollback: %+v, %v; want the edited draft of version 2", d, err)
	}
	for _, action := range []string{"publish", "rollback"} {
		entries, err := r.store.Audit(ctx, store.AuditQuery{Action: action})
		if err != nil || len(entries) != 1 || entries[0].Actor == "" {
			t.Errorf("%s audit: %+v, %v", action, entries, err)
			continue
		}
		t.Logf("audit %s: %s", action, entries[0].Summary)
	}
}

func TestConcurrentPublishOneWins(t *testing.T) {
	ctx := t.Context()
	r := newRig(t)
	if err := r.store.SaveProcedure(ctx, "an", zebra); err != nil {
		t.Fatal(err)
	}
	// Two publishers (two gateway processes) on one database, two editors each.
	pubs := []*Publisher{r.pub, r.publisher(t, r.index)}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	startLine := make(chan struct{})
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startLine
			_, errs[i] = pubs[i%2].Publish(ctx, "editor", "cùng lúc", time.Time{})
		}()
	}
	close(startLine)
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, store.ErrBusy) || errors.Is(err, store.ErrNoDraft):
			t.Logf("loser: %v", err)
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 || r.applied.Load() != 1 {
		t.Errorf("%d publishes won, Apply called %d times; want exactly one", won, r.applied.Load())
	}
	infos, err := r.store.Versions(ctx)
	if err != nil || len(infos) != 2 {
		t.Errorf("versions %+v (%v), want the seed and one publish", infos, err)
	}
}

func TestFailedBuildKeepsDraft(t *testing.T) {
	ctx := t.Context()
	r := newRig(t)
	if err := r.store.SaveProcedure(ctx, "an", zebra); err != nil {
		t.Fatal(err)
	}
	_, before, err := r.store.DraftKB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// An index on a Meilisearch that is not there: the build fails.
	dead := search.New(meili.NewClient("http://127.0.0.1:1", "key", time.Second), "dead_")
	bctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := r.publisher(t, dead).Publish(bctx, "an", "hỏng", time.Time{}); err == nil {
		t.Fatal("publish with a failing index build succeeded")
	}
	_, after, err := r.store.DraftKB(ctx)
	if err != nil || after != before {
		t.Errorf("draft after a failed publish: %+v (%v), want %+v", after, err, before)
	}
	if latest, err := r.store.Latest(ctx); err != nil || latest.Version != 1 {
		t.Errorf("latest after a failed publish: %v (%v), want 1", latest.Version, err)
	}
	if r.applied.Load() != 0 || r.finds(t, "ngựa vằn zebra") {
		t.Error("a failed publish reached citizens")
	}
	// The draft is editable and publishable again.
	if err := r.store.SaveSynonym(ctx, "an", knowledge.Synonym{Phrase: "ngựa sọc", Means: "ngựa vằn"}); err != nil {
		t.Errorf("edit after a failed publish: %v", err)
	}
	if _, err := r.pub.Publish(ctx, "an", "lần hai", time.Time{}); err != nil {
		t.Errorf("publish after a failed one: %v", err)
	}
}

func TestEditWhilePublishingIsBusy(t *testing.T) {
	ctx := t.Context()
	r := newRig(t)
	if err := r.store.SaveProcedure(ctx, "an", zebra); err != nil {
		t.Fatal(err)
	}
	d, err := r.store.ClaimDraft(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.store.SaveProcedure(ctx, "binh", zebra); !errors.Is(err, store.ErrBusy) {
		t.Errorf("edit of a claimed draft: %v, want ErrBusy", err)
	}
	if _, err := r.pub.Publish(ctx, "binh", "x", time.Time{}); !errors.Is(err, store.ErrBusy) {
		t.Errorf("publish of a claimed draft: %v, want ErrBusy", err)
	}
	if err := r.store.ReleaseDraft(ctx, d.Version); err != nil {
		t.Fatal(err)
	}
	if r.pub.Busy() {
		t.Error("Busy after the operations ended")
	}
}

// A gateway starting while another publishes leaves that publish alone
// (before leases, its start-up recovery gave the claimed draft back to the
// editors mid-publish). A publish left unfinished by a gateway that
// stopped is taken back by the next publish once its lease has expired.
func TestStartDuringAnotherGatewaysPublish(t *testing.T) {
	ctx := t.Context()
	r := newRig(t)
	if err := lease.Migrate(ctx, r.db); err != nil {
		t.Fatal(err)
	}
	if err := r.store.SaveProcedure(ctx, "an", zebra); err != nil {
		t.Fatal(err)
	}
	keeper := func(holder string) *lease.Keeper {
		return &lease.Keeper{DB: r.db, Holder: holder, TTL: 500 * time.Millisecond}
	}
	// Gateway A is mid-publish: it holds the lease and has claimed the
	// draft, then stops without finishing (no renewals).
	if _, ok, err := keeper("a").Acquire(ctx, Lease); err != nil || !ok {
		t.Fatalf("lease: %v %v", ok, err)
	}
	if _, err := r.store.ClaimDraft(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Store: r.store, Index: r.index, Leases: keeper("b")})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.store.SaveProcedure(ctx, "an", zebra); !errors.Is(err, store.ErrBusy) {
		t.Errorf("an edit during another gateway's publish: %v, want ErrBusy (the draft was given back)", err)
	}
	if _, err := b.Publish(ctx, "editor", "song song", time.Time{}); !errors.Is(err, store.ErrBusy) {
		t.Errorf("a publish during another gateway's: %v, want ErrBusy", err)
	}
	time.Sleep(600 * time.Millisecond) // A's lease expires
	info, err := b.Publish(ctx, "editor", "sau khi A dừng", time.Time{})
	if err != nil || info.Version != 2 {
		t.Fatalf("publish after A stopped: %+v %v", info, err)
	}
	if !r.finds(t, "ngựa vằn zebra") {
		t.Error("the published draft is not searchable")
	}
}
