package meili_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge/meili"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(helperGateway())
	}
	meilitest.Main(m)
}

// waitFor polls cond every 20 ms until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCrashIsRestartedOnTheSamePort(t *testing.T) {
	srv := meilitest.Server()
	client, prefix := meilitest.Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	uid := prefix + "survivor"
	info, err := client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
	if err != nil {
		t.Fatal(err)
	}
	task, err := client.WaitForTaskWithContext(ctx, info.TaskUID, 10*time.Millisecond)
	if err != nil || task.Status != meilisearch.TaskStatusSucceeded {
		t.Fatalf("create index: %v %+v", err, task)
	}

	url, oldPID, restarts := srv.URL(), srv.PID(), srv.Restarts()
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "a new healthy process", func() bool {
		return srv.PID() != oldPID && srv.Restarts() > restarts && srv.Health(ctx) == nil
	})
	if srv.URL() != url {
		t.Errorf("URL changed from %s to %s across the restart", url, srv.URL())
	}
	if _, err := client.GetIndexWithContext(ctx, uid); err != nil {
		t.Errorf("index lost across the restart: %v", err)
	}
	if err := syscall.Kill(oldPID, 0); err == nil {
		t.Errorf("killed process %d still exists", oldPID)
	}
}

func TestRSSBytes(t *testing.T) {
	rss, err := meilitest.Server().RSSBytes()
	if err != nil {
		t.Fatal(err)
	}
	if rss < 1<<20 {
		t.Errorf("RSS = %d bytes, implausibly small", rss)
	}
	t.Logf("meilisearch RSS: %.1f MiB", float64(rss)/(1<<20))
}

func TestStartStopReusesKeyAndData(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	cfg := meili.Config{Bin: meilitest.Bin(), DataDir: dir}

	srv, err := meili.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	key, pid := srv.Key(), srv.PID()
	client := meilisearch.New(srv.URL(), meilisearch.WithAPIKey(key))
	info, err := client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: "kept", PrimaryKey: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.WaitForTaskWithContext(ctx, info.TaskUID, 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := srv.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := srv.Stop(ctx); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("process %d still runs after Stop", pid)
	}
	if fi, err := os.Stat(filepath.Join(dir, "master.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("master.key: %v %v", fi, err)
	}
	if fi, err := os.Stat(srv.LogPath()); err != nil || fi.Size() == 0 {
		t.Errorf("meilisearch log %s missing or empty: %v", srv.LogPath(), err)
	}

	again, err := meili.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Stop(context.Background())
	if again.Key() != key {
		t.Error("restart generated a new master key")
	}
	client = meilisearch.New(again.URL(), meilisearch.WithAPIKey(again.Key()))
	if _, err := client.GetIndexWithContext(ctx, "kept"); err != nil {
		t.Errorf("data lost across Stop/Start: %v", err)
	}
}

func TestStartFailsClearly(t *testing.T) {
	script := func(body string) string {
		p := filepath.Join(t.TempDir(), "fake-meilisearch")
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		cfg     meili.Config
		wantErr string
	}{
		{"exits at once", meili.Config{Bin: script(`echo "error: boom, bad flag" >&2; exit 3`)}, "boom, bad flag"},
		{"never healthy", meili.Config{Bin: script(`echo "still warming up"; exec sleep 30`), StartTimeout: 300 * time.Millisecond}, "still warming up"},
		{"missing binary", meili.Config{Bin: filepath.Join(t.TempDir(), "nope")}, "no such file"},
		{"no data dir", meili.Config{Bin: "/bin/true", DataDir: "-"}, "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cfg.DataDir == "-" {
				tt.cfg.DataDir = ""
			} else {
				tt.cfg.DataDir = t.TempDir()
			}
			start := time.Now()
			srv, err := meili.Start(context.Background(), tt.cfg)
			if err == nil {
				srv.Stop(context.Background())
				t.Fatal("Start succeeded")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("failing took %s", d)
			}
		})
	}
}

// helperEnv makes the test binary act as a gateway that starts Meilisearch,
// prints its pid and waits to be killed.
const helperEnv = "MEILITEST_HELPER_GATEWAY"

func helperGateway() int {
	cfg := meili.Config{Bin: os.Getenv("HELPER_BIN"), DataDir: os.Getenv("HELPER_DIR")}
	srv, err := meili.Start(context.Background(), cfg)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("pid", srv.PID())
	time.Sleep(time.Minute)
	return 0
}

// TestKilledGatewayTakesMeilisearchAlong checks Pdeathsig: SIGKILL on the
// gateway must not leave Meilisearch orphaned.
func TestKilledGatewayTakesMeilisearchAlong(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1", "HELPER_BIN="+meilitest.Bin(), "HELPER_DIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("helper said nothing: %v", err)
	}
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != "pid" {
		t.Fatalf("helper: %s", line)
	}
	pid, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	waitFor(t, 15*time.Second, "meilisearch to exit after its gateway was killed", func() bool {
		return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
	})
}

// TestMeilitestFailsLoudly runs this test binary again with a MEILI_BIN
// that does not exist: meilitest.Main must fail the run, not skip it.
func TestMeilitestFailsLoudly(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MEILI_BIN="+filepath.Join(t.TempDir(), "missing-meilisearch"))
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("run with a missing binary: err = %v, output:\n%s", err, out)
	}
	if !strings.Contains(string(out), "meilitest: FATAL: no meilisearch binary") {
		t.Errorf("output does not say why:\n%s", out)
	}
}
