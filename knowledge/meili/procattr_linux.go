//go:build linux

package meili

import "syscall"

// sysProcAttr puts the child in its own process group (a Ctrl-C meant for
// the gateway does not reach it; the gateway stops it in order) and asks the
// kernel to SIGTERM it if the gateway dies without stopping it. Linux ties
// Pdeathsig to the thread that forked, not the process; Go only ends threads
// whose goroutine locked them and exited, which this package never does.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
