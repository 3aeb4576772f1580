package main

import (
	"runtime"
	"testing"
)

func TestSpareProc(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })
	for _, tc := range []struct {
		name string
		env  string
		want int
	}{
		{"one more than the CPUs found", "", before + 1},
		{"GOMAXPROCS set: as given", "7", before},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runtime.GOMAXPROCS(before)
			got := spareProc(func(k string) string {
				if k == "GOMAXPROCS" {
					return tc.env
				}
				return ""
			})
			if got != tc.want || runtime.GOMAXPROCS(0) != tc.want {
				t.Errorf("spareProc = %d, runtime has %d, want %d", got, runtime.GOMAXPROCS(0), tc.want)
			}
		})
	}
}
