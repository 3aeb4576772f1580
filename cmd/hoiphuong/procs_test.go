package main

import (
	"runtime"
	"strings"
	"testing"
)

func TestSpareProc(t *testing.T) {
	runtime.SetDefaultGOMAXPROCS()
	def := runtime.GOMAXPROCS(0)
	t.Cleanup(runtime.SetDefaultGOMAXPROCS)
	for _, tc := range []struct {
		name string
		n    int
		want int
	}{
		{"unset: one more than the default", 0, def + 1},
		{"unset again: still one more, not two", 0, def + 1},
		{"GOMAXPROCS: as given", 7, 7},
		{"after a setting: one more than the default", 0, def + 1},
	} {
		if got := spareProc(tc.n); got != tc.want || runtime.GOMAXPROCS(0) != tc.want {
			t.Errorf("%s: spareProc(%d) = %d, runtime has %d, want %d", tc.name, tc.n, got, runtime.GOMAXPROCS(0), tc.want)
		}
	}
}

func TestConfigProcs(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  int
		err   bool
	}{
		{"", 0, false},
		{"3", 3, false},
		{"0", 0, true},
		{"many", 0, true},
	} {
		env := testEnv{"DATA_DIR": t.TempDir(), "GOMAXPROCS": tc.value}
		c, err := loadConfig(env.getenv, "")
		if (err != nil) != tc.err || (err == nil && c.Procs != tc.want) {
			t.Errorf("GOMAXPROCS=%q: Procs %d, err %v; want %d, error %v", tc.value, c.Procs, err, tc.want, tc.err)
		}
		if err != nil && !strings.Contains(err.Error(), "GOMAXPROCS") {
			t.Errorf("GOMAXPROCS=%q: the error %q does not name the setting", tc.value, err)
		}
	}
}
