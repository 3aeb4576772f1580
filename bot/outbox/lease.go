package outbox

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// errLeaseLost is returned by a write made under a channel's lease that
// another gateway has taken since: nothing was written.
var errLeaseLost = errors.New("the channel's send lease was lost to another gateway")

// leaseName is the lease of a channel's sender: one gateway sends a
// channel's rows at a time, so its chats' order and the platform's rate
// limits hold when several gateways share the database.
func leaseName(channel string) string { return "outbox:" + channel }

// leaseChannels takes or renews the send lease of each registered channel
// and returns the channels whose rows this process may send now, with
// their leases. A lease just taken (new epoch) first has the rows the
// previous holder left in flight settled (indoubt.go), but not this
// process's own sends still running (of an epoch it lost, or of one that
// expired while its clock jumped). A lease is renewed once a third of its
// time to live has passed, so a dispatch round seldom writes.
func (o *Outbox) leaseChannels(ctx context.Context) map[string]lease.Lease {
	now := o.cfg.Now()
	o.mu.Lock()
	var todo []string
	ready := map[string]lease.Lease{}
	for name := range o.channels {
		if l, held := o.leases[name]; held && now.Before(l.Expires.Add(-2*o.cfg.LeaseTTL/3)) {
			ready[name] = l
		} else {
			todo = append(todo, name)
		}
	}
	o.mu.Unlock()
	for _, name := range todo {
		l, err := o.acquire(ctx, name, now)
		if err != nil {
			if ctx.Err() == nil {
				o.cfg.Logger.Error("outbox: take the channel's send lease", "channel", name, "err", err)
			}
			continue // tried again at the next dispatch
		}
		o.mu.Lock()
		prev, held := o.leases[name]
		o.mu.Unlock()
		if l.Epoch == 0 { // another gateway sends this channel
			if held {
				o.cfg.Logger.Warn("outbox: the channel's send lease went to another gateway", "channel", name, "epoch", prev.Epoch)
			}
			o.forget(name)
			continue
		}
		if !held || prev.Epoch != l.Epoch {
			n, err := o.settleLeftInFlight(ctx, name, l, o.ownInFlight(name))
			if err != nil {
				if ctx.Err() == nil {
					o.cfg.Logger.Error("outbox: settle messages left in flight", "channel", name, "err", err)
				}
				o.forget(name)
				continue
			}
			o.cfg.Logger.Info("outbox: sending the channel's messages from this gateway", "channel", name, "epoch", l.Epoch)
			o.mu.Lock()
			if ch := o.channels[name]; ch != nil {
				ch.counts.inDoubt.Add(int64(n))
			}
			o.mu.Unlock()
		}
		o.mu.Lock()
		o.leases[name] = l
		o.mu.Unlock()
		ready[name] = l
	}
	return ready
}

// acquire takes or renews a channel's lease in a background turn; a zero
// Lease (Epoch 0) is another gateway's live lease.
func (o *Outbox) acquire(ctx context.Context, channel string, now time.Time) (lease.Lease, error) {
	leave, err := o.turn(ctx)
	if err != nil {
		return lease.Lease{}, err
	}
	defer leave()
	l, ok, err := lease.Acquire(ctx, o.db, leaseName(channel), o.cfg.Holder, now, o.cfg.LeaseTTL)
	if err != nil || !ok {
		return lease.Lease{}, err
	}
	return l, nil
}

func (o *Outbox) forget(channel string) {
	o.mu.Lock()
	delete(o.leases, channel)
	o.mu.Unlock()
}

// releaseLeases gives up the channels' leases when the worker stops, so
// that another gateway takes the channels at once instead of after expiry.
func (o *Outbox) releaseLeases() {
	o.mu.Lock()
	held := make([]lease.Lease, 0, len(o.leases))
	for _, l := range o.leases {
		held = append(held, l)
	}
	clear(o.leases)
	o.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, l := range held {
		leave, err := o.turn(ctx)
		if err == nil {
			err = lease.Release(ctx, o.db, l, o.cfg.Now())
			leave()
		}
		if err != nil {
			o.cfg.Logger.Warn("outbox: release the channel's send lease; another gateway takes it when it expires",
				"channel", l.Name, "err", err)
		}
	}
}

// ownInFlight lists the rows of a channel this process is sending.
func (o *Outbox) ownInFlight(channel string) []int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	ch := o.channels[channel]
	if ch == nil {
		return nil
	}
	return slices.Collect(maps.Values(ch.inFlight))
}
