//go:build linux

package sqldb

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// presync flushes the database file's dirty pages to disk through a
// descriptor SQLite already holds open in this process (found in
// /proc/self/fd), before a checkpoint pass that pauses the writers.
//
// The passes beside the writer copy WAL frames into the file but sync it
// only when they copy the whole log, which under a steady load only the
// paused pass does: it then waited for a second or more of copied pages
// to reach the disk (10–30 ms measured) while every writer waited. After
// this sync the paused pass flushes only what it copies itself.
//
// Opening the file here and closing it would release SQLite's POSIX
// locks on it (they belong to the process, not the descriptor), hence a
// descriptor that is already open; fsync changes nothing but the disk,
// so one closed and reused meanwhile is harmless.
func presync(path string) error {
	want, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(want); err == nil {
		want = real
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return err
	}
	for _, e := range fds {
		target, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err != nil || target != want {
			continue
		}
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		return syscall.Fsync(fd)
	}
	return errors.New("the database file is not open in this process")
}
