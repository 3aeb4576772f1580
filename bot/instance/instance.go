// Package instance keeps one gateway per data folder: a second `serve` on
// the same DATA_DIR would answer the same inbox and send the same outbox
// (breaking the platforms' rate limits), so it is refused at start.
package instance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockFile is the file under the data folder the running gateway holds.
const lockFile = "serve.lock"

// ErrRunning is returned when another gateway holds the data folder.
var ErrRunning = errors.New("another gateway is already serving this data folder")

// Lock is the running gateway's hold on its data folder.
type Lock struct{ f *os.File }

// Acquire takes the data folder for this process, or fails at once with
// ErrRunning (naming the holder's pid) when another process has it. The
// hold ends with Release or when the process exits, however it exits.
func Acquire(dir string) (*Lock, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := strings.TrimSpace(string(b))
			if _, perr := strconv.Atoi(holder); perr != nil {
				holder = "?"
			}
			return nil, fmt.Errorf("%w (DATA_DIR %s, pid %s): stop it first, or give this one another DATA_DIR", ErrRunning, dir, holder)
		}
		return nil, fmt.Errorf("lock data folder: %w", err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Release gives the data folder up.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
