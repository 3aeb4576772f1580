package main

import "runtime"

// spareProc gives the Go scheduler one P more than the CPUs it found,
// unless GOMAXPROCS is set (the runtime then uses it as given). It
// returns the number of Ps in effect.
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
func spareProc(getenv func(string) string) int {
	if getenv("GOMAXPROCS") != "" {
		return runtime.GOMAXPROCS(0)
	}
	n := runtime.GOMAXPROCS(0) + 1
	runtime.GOMAXPROCS(n)
	return n
}
