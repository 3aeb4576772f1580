//go:build !linux

package meili

import "syscall"

// sysProcAttr has nothing portable to set outside Linux; there, a gateway
// killed with SIGKILL may leave Meilisearch running.
func sysProcAttr() *syscall.SysProcAttr { return nil }
