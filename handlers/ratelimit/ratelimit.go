// Package ratelimit limits anonymous requests per client address with
// token buckets: a client may burst up to Burst requests, then one every
// Every. A refused request learns how long to wait (Retry-After).
package ratelimit

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rule is one limit: Burst requests at once, refilled one per Every.
type Rule struct {
	Burst int
	Every time.Duration
}

// Limiter keeps a bucket per key. It is safe for concurrent use; buckets
// that have refilled are forgotten, so memory follows the active clients.
type Limiter struct {
	rule   Rule
	now    func() time.Time
	shared Taker  // nil: the buckets below
	scope  string // prefixes the shared keys

	mu        sync.Mutex
	buckets   map[string]*bucket
	nextSweep int
}

type bucket struct {
	tokens float64
	at     time.Time
}

const sweepAbove = 10000

// New returns a limiter for rule; now nil means time.Now. A rule with a
// non-positive Burst allows everything.
func New(rule Rule, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{rule: rule, now: now, buckets: map[string]*bucket{}, nextSweep: sweepAbove}
}

// Taker is a store of token buckets that several gateways share
// (bot/limitstore).
type Taker interface {
	Take(ctx context.Context, key string, now time.Time, burst int, every time.Duration) (ok bool, retryAfter time.Duration, err error)
}

// Shared makes l take its tokens from t, under keys prefixed with scope
// (one per limit: "chat-open", …), so that a client gets Burst requests in
// all rather than from each gateway. It returns l.
func (l *Limiter) Shared(t Taker, scope string) *Limiter {
	l.shared, l.scope = t, scope
	return l
}

// Allow takes a token for key; when none is left it returns false and how
// long until one is. With a shared store that fails, this process's bucket
// decides and the store's error is returned too, for the caller to log.
func (l *Limiter) Allow(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error) {
	if l == nil || l.rule.Burst <= 0 || l.rule.Every <= 0 {
		return true, 0, nil
	}
	now := l.now()
	if l.shared != nil {
		ok, retryAfter, err = l.shared.Take(ctx, l.scope+":"+key, now, l.rule.Burst, l.rule.Every)
		if err == nil {
			return ok, retryAfter, nil
		}
		err = fmt.Errorf("ratelimit: shared bucket: %w", err)
	}
	ok, retryAfter = l.take(key, now)
	return ok, retryAfter, err
}

// take takes a token from this process's bucket for key.
func (l *Limiter) take(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.nextSweep {
			l.sweep(now)
		}
		b = &bucket{tokens: float64(l.rule.Burst), at: now}
		l.buckets[key] = b
	}
	b.refill(now, l.rule)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.rule.Every))
}

func (b *bucket) refill(now time.Time, r Rule) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(float64(r.Burst), b.tokens+float64(d)/float64(r.Every))
		b.at = now
	}
}

// sweep forgets full buckets (as good as new ones).
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		b.refill(now, l.rule)
		if b.tokens >= float64(l.rule.Burst) {
			delete(l.buckets, k)
		}
	}
	l.nextSweep = max(sweepAbove, 2*len(l.buckets))
}

// Clients names the client of a request. Requests that come through one
// of the Trusted proxies (a reverse proxy, a load balancer) are counted
// under the address the proxies saw: the rightmost X-Forwarded-For entry
// that is not a trusted proxy itself.
type Clients struct {
	Trusted []netip.Prefix
}

// Key is the address a request is counted under: the client's IP, with an
// IPv6 address reduced to its /64 (one subscriber's network, in which a
// phone picks new addresses at will).
func (c Clients) Key(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if c.trusted(ip) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a garbled header: count the proxy's own address
			}
			ip = hop.Unmap()
			if !c.trusted(ip) {
				break
			}
		}
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64) // a valid IPv6 address always has a /64
		return p.String()
	}
	return ip.String()
}

func (c Clients) trusted(ip netip.Addr) bool {
	for _, p := range c.Trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// ParsePrefixes reads a comma-separated list of addresses and CIDR
// prefixes (TRUSTED_PROXIES).
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			ip, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or a prefix", f)
			}
			out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or a prefix", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// ParseRule reads a limit written "20/30s" (a burst of 20, then one every
// 30 s) or "off".
func ParseRule(s string) (Rule, error) {
	if strings.EqualFold(strings.TrimSpace(s), "off") {
		return Rule{Burst: -1}, nil
	}
	n, every, ok := strings.Cut(s, "/")
	burst, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || burst < 1 {
		return Rule{}, fmt.Errorf("%q must be N/duration (e.g. 20/30s) or off", s)
	}
	d, err := time.ParseDuration(strings.TrimSpace(every))
	if err != nil || d <= 0 {
		return Rule{}, fmt.Errorf("%q must be N/duration (e.g. 20/30s) or off", s)
	}
	return Rule{Burst: burst, Every: d}, nil
}
