package outbox

import "sync/atomic"

// Counts are a channel's delivery counters since the process started.
type Counts struct {
	Sent    int64 // messages the platform accepted
	Retries int64 // failed attempts that will be retried (incl. 429s)
	Failed  int64 // messages given up on
	InDoubt int64 // messages found in flight at start, left by a process that died while sending them
}

type counters struct{ sent, retries, failed, inDoubt atomic.Int64 }

// Counts returns the counters of every registered channel.
func (o *Outbox) Counts() map[string]Counts {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make(map[string]Counts, len(o.channels))
	for name, ch := range o.channels {
		out[name] = Counts{Sent: ch.counts.sent.Load(), Retries: ch.counts.retries.Load(), Failed: ch.counts.failed.Load(),
			InDoubt: ch.counts.inDoubt.Load()}
	}
	return out
}
