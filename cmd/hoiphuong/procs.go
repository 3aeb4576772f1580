package main

import "runtime"

// spareProc sets the Go scheduler's Ps: n when n ≥ 1 (GOMAXPROCS, also
// from .env, which is read after the runtime started), otherwise one
// more than the runtime's default (the CPUs, or the container's CPU
// limit). It returns the number in effect.
//
// Two workers hold a P for tens of milliseconds at a time: the WAL
// checkpointer (SQLite is Go code here, and a pass copies a quarter
// second of commits) and the GC's mark workers. On a 2-core machine each
// took half of the Ps from everything else while it ran, and the
// webhooks that arrived meanwhile queued behind it: `bench` measured the
// paced p99 at 24–26 ms with 2 Ps and 19–21 ms with 3, throughput within
// 6 %. The operating system shares the cores among the extra thread and
// the rest; the queue behind a busy P is what the extra P removes.
// Setting it also stops the runtime from following a later change of
// the container's CPU limit (a restart picks the new limit up).
func spareProc(n int) int {
	if n < 1 {
		runtime.SetDefaultGOMAXPROCS() // not a P more on every call
		n = runtime.GOMAXPROCS(0) + 1
	}
	runtime.GOMAXPROCS(n)
	return n
}
