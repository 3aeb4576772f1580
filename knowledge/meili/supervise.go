package meili

import (
	"time"
)

// Restart backoff: doubles from minBackoff up to maxBackoff, and starts over
// once a run has stayed up for stableAfter.
const (
	minBackoff  = 100 * time.Millisecond
	maxBackoff  = 10 * time.Second
	stableAfter = time.Minute
)

// supervise waits for the current process to exit and restarts it on the
// same address until Stop cancels s.life.
func (s *Server) supervise() {
	defer close(s.done)
	backoff := minBackoff
	for {
		s.mu.Lock()
		p := s.cur
		s.mu.Unlock()
		select {
		case <-s.life.Done():
			return
		case <-p.done:
		}
		if s.life.Err() != nil {
			return
		}
		if time.Since(p.started) > stableAfter {
			backoff = minBackoff
		}
		s.logger.Warn("meilisearch exited unexpectedly, restarting",
			"pid", p.pid(), "err", p.err, "uptime", time.Since(p.started).Round(time.Millisecond),
			"backoff", backoff, "last_output", s.output(p, 3))
		for !s.restart(backoff) {
			if s.life.Err() != nil {
				return
			}
			backoff = min(backoff*2, maxBackoff)
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// restart waits backoff, then starts a new run on the same address and
// waits for it to be healthy. It reports whether that worked.
func (s *Server) restart(backoff time.Duration) bool {
	t := time.NewTimer(backoff)
	defer t.Stop()
	select {
	case <-s.life.Done():
		return false
	case <-t.C:
	}
	p, err := s.spawn()
	if err != nil {
		s.logger.Error("meilisearch restart failed", "err", err, "next_backoff", min(backoff*2, maxBackoff))
		return false
	}
	// Published at once so that Stop (or Kill) reaches it even mid-start.
	s.mu.Lock()
	s.cur = p
	s.mu.Unlock()
	if err := s.waitHealthy(s.life, p); err != nil {
		if s.life.Err() == nil {
			s.logger.Error("meilisearch restart failed", "err", err, "next_backoff", min(backoff*2, maxBackoff))
			s.terminate(p, time.Second)
		}
		return false
	}
	s.mu.Lock()
	s.restarts++
	n := s.restarts
	s.mu.Unlock()
	s.logger.Info("meilisearch restarted", "url", s.url, "pid", p.pid(), "restarts", n)
	return true
}
