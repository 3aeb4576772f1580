package publish

import (
	"context"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/store"
)

// publishLease is the lease one gateway holds while it publishes or rolls
// back: the others' publishes get store.ErrBusy, and a draft found claimed
// by a publish under this lease was left by a gateway that stopped
// mid-publish.
const publishLease = "kb:publish"

// hold takes the publish lease of the gateways sharing the database
// (store.ErrBusy while another holds it) and renews it until release is
// called. Without Config.Leases it holds nothing.
func (p *Publisher) hold(ctx context.Context) (release func(), err error) {
	if p.cfg.Leases == nil {
		return func() {}, nil
	}
	l, ok, err := p.cfg.Leases.Acquire(ctx, publishLease)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("another gateway is publishing: %w", store.ErrBusy)
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(p.cfg.LeaseRenew)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if _, ok, err := p.cfg.Leases.Acquire(context.WithoutCancel(ctx), publishLease); err != nil || !ok {
				p.cfg.Logger.Error("publish: renew the publish lease", "held", ok, "err", err)
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := p.cfg.Leases.Release(rctx, l); err != nil {
			p.cfg.Logger.Warn("publish: release the publish lease; it expires by itself", "err", err)
		}
	}, nil
}

// Recover gives back a draft left claimed by a publish that never finished
// (its gateway stopped mid-publish). With several gateways it does so only
// under the publish lease: another gateway's running publish is left
// alone. Call it at start.
func (p *Publisher) Recover(ctx context.Context) error {
	release, err := p.hold(ctx)
	if err != nil {
		p.cfg.Logger.Info("publish: another gateway is publishing; its draft is left to it", "err", err)
		return nil
	}
	defer release()
	return p.cfg.Store.RecoverDraft(ctx)
}
