package meili

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// waitHealthy polls /health until it answers "available", the process
// exits, ctx ends or StartTimeout passes.
func (s *Server) waitHealthy(ctx context.Context, p *process) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.StartTimeout)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.ping(ctx) == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("meili: meilisearch exited during start (%v); last output: %s", p.err, s.output(p, 8))
		case <-ctx.Done():
			return fmt.Errorf("meili: meilisearch not healthy at %s after %s: %w; last output: %s",
				s.url, s.cfg.StartTimeout, ctx.Err(), s.output(p, 8))
		case <-tick.C:
		}
	}
}

// ping performs one GET /health.
func (s *Server) ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/health", nil)
	if err != nil {
		return err
	}
	resp, err := s.health.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("meili: /health answered %s", resp.Status)
	}
	return nil
}

// Health reports whether the server answers /health now.
func (s *Server) Health(ctx context.Context) error { return s.ping(ctx) }
