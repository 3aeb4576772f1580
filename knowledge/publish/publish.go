// Package publish turns the editors' draft into the knowledge base citizens
// are answered from, and rolls back to an earlier version, with no
// downtime: the new Meilisearch indexes are built and swapped in before the
// version is committed in SQLite, and the engine's KB is swapped last.
// Nothing changes for citizens unless every step succeeds.
package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/search"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
	"github.com/hoiphuong/hoiphuong/knowledge/store"
)

// Config wires a Publisher. Apply receives the newly published KB (its
// Version and AsOf set) and swaps it into the engine; it may be nil.
type Config struct {
	Store  *store.Store
	Index  *search.Index
	Apply  func(*knowledge.KB)
	Logger *slog.Logger
	Now    func() time.Time
	// Leases, when several gateways share the database, lets one of them
	// at a time publish or roll back (lease.go); nil: this is the only
	// gateway.
	Leases     lease.Claims
	LeaseRenew time.Duration // how often a held publish lease is renewed (10 s): well within the leases' lifetime
}

// Publisher publishes the draft and rolls back; one operation at a time
// per process, and one at a time across gateways (the publish lease, and
// the draft's claim in the database).
type Publisher struct {
	cfg  Config
	busy atomic.Bool
}

// New checks the configuration.
func New(cfg Config) (*Publisher, error) {
	if cfg.Store == nil || cfg.Index == nil {
		return nil, errors.New("publish: a store and an index are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.LeaseRenew <= 0 {
		cfg.LeaseRenew = 10 * time.Second
	}
	return &Publisher{cfg: cfg}, nil
}

// Busy reports whether a publish or rollback is running in this process.
func (p *Publisher) Busy() bool { return p.busy.Load() }

func (p *Publisher) acquire() error {
	if !p.busy.CompareAndSwap(false, true) {
		return store.ErrBusy
	}
	return nil
}

// Publish makes the draft version N (one past the highest): it claims the
// draft (store.ErrNoDraft when there is none, store.ErrBusy while another
// publish or rollback runs), builds the search indexes from it and swaps
// them in, commits version N (author, changelog, asOf — zero keeps the
// draft's date) and deletes the draft, records N in the index and hands
// the KB to Apply. A failure before the commit gives the draft back intact.
func (p *Publisher) Publish(ctx context.Context, actor, changelog string, asOf time.Time) (store.VersionInfo, error) {
	if err := p.acquire(); err != nil {
		return store.VersionInfo{}, fmt.Errorf("publish: %w", err)
	}
	defer p.busy.Store(false)
	release, err := p.hold(ctx)
	if err != nil {
		return store.VersionInfo{}, fmt.Errorf("publish: %w", err)
	}
	defer release()
	start := p.cfg.Now()
	d, err := p.cfg.Store.ClaimDraft(ctx)
	if errors.Is(err, store.ErrBusy) && p.cfg.Leases != nil {
		// Under the publish lease no other publish runs: the claim was
		// left by a gateway that stopped mid-publish.
		p.cfg.Logger.Warn("publish: the draft was left claimed by a publish that never finished; taking it back")
		if err = p.cfg.Store.RecoverDraft(ctx); err == nil {
			d, err = p.cfg.Store.ClaimDraft(ctx)
		}
	}
	if err != nil {
		return store.VersionInfo{}, fmt.Errorf("publish: %w", err)
	}
	committed := false
	defer func() {
		if committed {
			return
		}
		// A fresh context: the caller's may be what failed.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := p.cfg.Store.ReleaseDraft(rctx, d.Version); err != nil {
			p.cfg.Logger.Error("publish: release draft", "version", d.Version, "err", err)
		}
	}()
	kb, _, err := p.cfg.Store.DraftKB(ctx)
	if err != nil {
		return store.VersionInfo{}, fmt.Errorf("publish: %w", err)
	}
	if !asOf.IsZero() {
		kb.AsOf = asOf
	}
	info, err := p.swap(ctx, kb, func() (store.VersionInfo, error) {
		return p.cfg.Store.PublishDraft(ctx, actor, changelog, kb.AsOf, d.Version,
			fmt.Sprintf("%s — %s", changelog, counts(kb)))
	})
	if err != nil {
		return info, fmt.Errorf("publish: %w", err)
	}
	committed = true
	p.cfg.Logger.Info("kb published", "version", info.Version, "actor", actor, "draft", d.Version,
		"revision", d.Revision, "seconds", p.cfg.Now().Sub(start).Seconds())
	return info, nil
}

// Rollback republishes version's content as a new version N, the same way
// as Publish; the draft is left as it is.
func (p *Publisher) Rollback(ctx context.Context, actor string, version int) (store.VersionInfo, error) {
	if err := p.acquire(); err != nil {
		return store.VersionInfo{}, fmt.Errorf("rollback: %w", err)
	}
	defer p.busy.Store(false)
	release, err := p.hold(ctx)
	if err != nil {
		return store.VersionInfo{}, fmt.Errorf("rollback: %w", err)
	}
	defer release()
	kb, err := p.cfg.Store.Load(ctx, version)
	if err != nil {
		return store.VersionInfo{}, fmt.Errorf("rollback: %w", err)
	}
	changelog := fmt.Sprintf("Khôi phục phiên bản %d", version)
	info, err := p.swap(ctx, kb, func() (store.VersionInfo, error) {
		return p.cfg.Store.Republish(ctx, actor, changelog, version, fmt.Sprintf("%s — %s", changelog, counts(kb)))
	})
	if err != nil {
		return info, fmt.Errorf("rollback to %d: %w", version, err)
	}
	p.cfg.Logger.Info("kb rolled back", "version", info.Version, "from", version, "actor", actor)
	return info, nil
}

// swap builds the indexes from kb, then commits; if the commit fails the
// indexes are rebuilt from the latest published version, so that search
// and SQLite agree again. After the commit it records the version in the
// index and applies kb.
func (p *Publisher) swap(ctx context.Context, kb *knowledge.KB, commit func() (store.VersionInfo, error)) (store.VersionInfo, error) {
	if _, err := p.cfg.Index.Build(ctx, kb); err != nil {
		return store.VersionInfo{}, err
	}
	info, err := commit()
	if err != nil {
		p.restoreIndex(ctx)
		return info, err
	}
	kb.Version, kb.AsOf = info.Version, info.AsOf
	if err := p.cfg.Index.SetVersion(ctx, info.Version); err != nil {
		// The indexes hold the new content; a restart rebuilds them once.
		p.cfg.Logger.Warn("publish: record index version", "version", info.Version, "err", err)
	}
	if p.cfg.Apply != nil {
		p.cfg.Apply(kb)
	}
	return info, nil
}

func (p *Publisher) restoreIndex(ctx context.Context) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	latest, err := p.cfg.Store.Latest(rctx)
	if err == nil {
		_, err = p.cfg.Index.Build(rctx, latest)
	}
	if err != nil {
		p.cfg.Logger.Error("publish: restore search indexes after a failed commit", "err", err)
	}
}

// counts summarises a KB for the audit log.
func counts(kb *knowledge.KB) string {
	offices := 0
	for _, u := range kb.Units {
		if u.InHCMC() && u.Address != "" {
			offices++
		}
	}
	return fmt.Sprintf("%d thủ tục, %d trụ sở có địa chỉ, %d điểm tiếp nhận, %d câu trả lời soạn sẵn, %d từ đồng nghĩa",
		len(kb.Procedures), offices, len(kb.ServicePoints), len(kb.Curated), len(kb.Synonyms))
}
