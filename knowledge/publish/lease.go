package publish

import (
	"context"
	"fmt"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
	"github.com/hoiphuong/hoiphuong/knowledge/store"
)

// Lease is the lease one gateway holds while it publishes or rolls back
// (or builds the indexes at start): the others' publishes get
// store.ErrBusy, and a draft found claimed by a publish under this lease
// was left by a gateway that stopped mid-publish.
const Lease = "kb:publish"

// hold takes the publish lease of the gateways sharing the database
// (store.ErrBusy while another holds it) and renews it until release is
// called. Without Config.Leases it holds nothing.
func (p *Publisher) hold(ctx context.Context) (release func(), err error) {
	if p.cfg.Leases == nil {
		return func() {}, nil
	}
	release, ok, err := lease.Hold(ctx, p.cfg.Leases, Lease, p.cfg.LeaseRenew, p.cfg.Logger)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("another gateway is publishing: %w", store.ErrBusy)
	}
	return release, nil
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
