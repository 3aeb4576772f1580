package meili

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"
)

// Kill sends SIGKILL to the current process without stopping supervision:
// the supervisor restarts it. Tests use it to simulate a crash.
func (s *Server) Kill() error {
	s.mu.Lock()
	p := s.cur
	s.mu.Unlock()
	if p == nil {
		return errors.New("meili: no running process")
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("meili: kill: %w", err)
	}
	return nil
}

// Stop ends supervision and stops the process: SIGTERM, then SIGKILL if it
// has not exited by ctx's deadline (or Config.StopTimeout). Calling Stop
// again returns the first call's result.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		s.cancel()
		<-s.done
		grace := s.cfg.StopTimeout
		if dl, ok := ctx.Deadline(); ok {
			grace = time.Until(dl)
		}
		s.mu.Lock()
		p := s.cur
		s.mu.Unlock()
		if p != nil {
			s.stopErr = s.terminate(p, grace)
			s.logger.Info("meilisearch stopped", "pid", p.pid())
		}
		if err := s.logFile.Close(); err != nil && s.stopErr == nil {
			s.stopErr = fmt.Errorf("meili: close log: %w", err)
		}
	})
	return s.stopErr
}

// terminate sends SIGTERM, waits up to grace, then SIGKILLs and waits.
func (s *Server) terminate(p *process, grace time.Duration) error {
	if p.exited() {
		return nil
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !p.exited() {
		return fmt.Errorf("meili: sigterm: %w", err)
	}
	t := time.NewTimer(max(grace, 0))
	defer t.Stop()
	select {
	case <-p.done:
		return nil
	case <-t.C:
	}
	s.logger.Warn("meilisearch ignored SIGTERM, killing it", "pid", p.pid(), "grace", grace)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !p.exited() {
		return fmt.Errorf("meili: sigkill: %w", err)
	}
	<-p.done
	return nil
}
