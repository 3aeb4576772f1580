package editor

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Previewed imports are kept in memory until saved, for pendingTTL, at
// most pendingMax of them (the oldest go first).
const (
	pendingTTL = 30 * time.Minute
	pendingMax = 64
)

// pendingImport is a previewed CSV import waiting for "Lưu vào bản nháp":
// who uploaded it and the draft revision it was compared against.
type pendingImport struct {
	imp      Import
	revision int
	owner    string
	at       time.Time
}

// pendingImports holds previewed imports by a random id.
type pendingImports struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]pendingImport
}

func newPendingImports(now func() time.Time) *pendingImports {
	return &pendingImports{now: now, m: map[string]pendingImport{}}
}

// put keeps p and returns its id.
func (s *pendingImports) put(p pendingImport) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	id := hex.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	p.at = s.now()
	s.expire()
	for len(s.m) >= pendingMax {
		oldest := ""
		for k, v := range s.m {
			if oldest == "" || v.at.Before(s.m[oldest].at) {
				oldest = k
			}
		}
		delete(s.m, oldest)
	}
	s.m[id] = p
	return id
}

// take removes and returns the import id of owner, if still there.
func (s *pendingImports) take(id, owner string) (pendingImport, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire()
	p, ok := s.m[id]
	if !ok || p.owner != owner {
		return pendingImport{}, false
	}
	delete(s.m, id)
	return p, true
}

// peek returns the import id of owner without removing it.
func (s *pendingImports) peek(id, owner string) (pendingImport, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.m[id]
	return p, ok && p.owner == owner
}

func (s *pendingImports) expire() {
	cutoff := s.now().Add(-pendingTTL)
	for k, v := range s.m {
		if v.at.Before(cutoff) {
			delete(s.m, k)
		}
	}
}
