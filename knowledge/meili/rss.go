package meili

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// RSSBytes returns the resident memory of the running Meilisearch process,
// read from /proc/PID/status (VmRSS). Linux only.
func (s *Server) RSSBytes() (int64, error) {
	pid := s.PID()
	if pid == 0 {
		return 0, fmt.Errorf("meili: no running process")
	}
	return rssOf(pid)
}

func rssOf(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("meili rss: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest) // "123456 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("meili rss: unexpected VmRSS line %q", sc.Text())
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("meili rss: %w", err)
		}
		return kb * 1024, nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("meili rss: %w", err)
	}
	return 0, fmt.Errorf("meili rss: no VmRSS for pid %d", pid)
}
