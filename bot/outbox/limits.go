package outbox

import "time"

// admit reserves a send of row r when its send has not ended since the rows
// were read, its chat has no send in flight and both rate limits allow it;
// otherwise it says how long to wait.
//
// The per-chat interval is measured from when the chat's previous send
// started (started), not from when it was admitted: the sends to a chat
// are one at a time, so the next one is admitted after the previous one
// started and starts after it is admitted. The clock is read here, not
// before the due rows were read: that read can wait for the connection
// (webhook accepts go first), and a stale instant let two sends to one
// chat start less than the interval apart.
func (o *Outbox) admit(ch *channel, r row) (bool, time.Duration) {
	chatID := r.chatID
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.cfg.Now()
	if o.settled[r.id] {
		return false, 0 // read while in flight: look again
	}
	if _, busy := ch.inFlight[chatID]; busy {
		return false, o.cfg.PollInterval // its end wakes the worker
	}
	if until, ok := ch.notBefore[chatID]; ok {
		if now.Before(until) {
			return false, until.Sub(now)
		}
		delete(ch.notBefore, chatID)
	}
	if last, ok := ch.lastSend[chatID]; ok && now.Sub(last) < ch.limits.ChatInterval {
		return false, ch.limits.ChatInterval - now.Sub(last)
	}
	if ok, wait := ch.bucket.take(now); !ok {
		return false, wait
	}
	ch.inFlight[chatID] = r.id
	if len(ch.lastSend) > 10000 {
		for id, t := range ch.lastSend {
			if now.Sub(t) >= ch.limits.ChatInterval && !busy(ch, id) {
				delete(ch.lastSend, id)
			}
		}
	}
	return true, 0
}

// started records that the send of row r starts now, for the per-chat
// interval.
func (o *Outbox) started(ch *channel, r row) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ch.lastSend[r.chatID] = o.cfg.Now()
}

// holdOff keeps the chat's next send from starting for d.
func (o *Outbox) holdOff(ch *channel, r row, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ch.notBefore[r.chatID] = o.cfg.Now().Add(d)
}

// release ends the send of row r in flight, after its outcome is recorded.
func (o *Outbox) release(ch *channel, r row) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(ch.inFlight, r.chatID)
	o.settled[r.id] = true
}

// forgetSettled is called before the worker reads the due rows: what ended
// before that read is recorded in the database the read sees.
func (o *Outbox) forgetSettled() {
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(o.settled)
}

// bucket is a token bucket: rate tokens per second, bursts up to rate.
type bucket struct {
	rate, tokens float64
	last         time.Time
}

func newBucket(rate float64, now time.Time) bucket {
	return bucket{rate: rate, tokens: rate, last: now}
}

// take takes a token at now, or says how long until one is available.
func (b *bucket) take(now time.Time) (bool, time.Duration) {
	if now.After(b.last) {
		b.tokens = min(b.rate, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

func busy(ch *channel, chatID string) bool {
	_, ok := ch.inFlight[chatID]
	return ok
}
