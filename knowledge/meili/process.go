package meili

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// process is one run of the Meilisearch binary.
type process struct {
	cmd       *exec.Cmd
	started   time.Time
	logOffset int64         // where this run's output starts in the log file
	done      chan struct{} // closed once the process has exited
	err       error         // cmd.Wait's result, set before done is closed
}

func (p *process) pid() int { return p.cmd.Process.Pid }

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// args returns the command line for one run. --env development keeps the
// master key optional for local tools; the key is always set here anyway.
func (s *Server) args() []string {
	return []string{
		"--db-path", filepath.Join(s.cfg.DataDir, "data.ms"),
		"--dump-dir", filepath.Join(s.cfg.DataDir, "dumps"),
		"--snapshot-dir", filepath.Join(s.cfg.DataDir, "snapshots"),
		"--http-addr", s.addr,
		"--no-analytics",
		"--master-key", s.key,
		"--env", "development",
		"--log-level", s.cfg.LogLevel,
		"--max-indexing-memory", s.cfg.MaxIndexingMemory,
	}
}

// spawn starts one run, its output appended to the log file.
func (s *Server) spawn() (*process, error) {
	off, err := s.logFile.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("meili: log file: %w", err)
	}
	cmd := exec.Command(s.cfg.Bin, s.args()...)
	cmd.Dir = s.cfg.DataDir // no stray ./config.toml or ./dumps from the gateway's folder
	cmd.Env = childEnv(os.Environ())
	cmd.Stdout = s.logFile
	cmd.Stderr = s.logFile
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("meili: start %s: %w", s.cfg.Bin, err)
	}
	p := &process{cmd: cmd, started: time.Now(), logOffset: off, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// childEnv drops MEILI_* variables: they configure the gateway (MEILI_URL,
// MEILI_BIN …) and Meilisearch would read them as its own settings.
func childEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, "MEILI_") {
			out = append(out, kv)
		}
	}
	return out
}

// ansi matches terminal colour sequences, which Meilisearch writes even to files.
var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// output returns the last n lines a run wrote to the log file.
func (s *Server) output(p *process, n int) string {
	const maxTail = 16 << 10
	f, err := os.Open(s.logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return ""
	}
	start := max(p.logOffset, end-maxTail)
	b := make([]byte, end-start)
	if _, err := f.ReadAt(b, start); err != nil && err != io.EOF {
		return ""
	}
	return lastLines(ansi.ReplaceAllString(string(b), ""), n)
}
