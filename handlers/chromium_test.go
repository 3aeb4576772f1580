package handlers_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// ensureChromium returns the browser path, installing the Debian package
// when it is missing and the test runs as root. It never skips: a page test
// without a browser fails loudly.
func ensureChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	if os.Geteuid() != 0 {
		t.Fatalf("%s is missing and the test is not root: install it with `apt-get install -y chromium`", chromiumPath)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	apt := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "apt-get", append([]string{"-o", "DPkg::Lock::Timeout=600"}, args...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		return cmd.CombinedOutput()
	}
	t.Logf("%s is missing: installing chromium with apt-get", chromiumPath)
	if out, err := apt("install", "-y", "chromium"); err != nil {
		t.Logf("apt-get install failed (%v), updating the package lists:\n%s", err, out)
		if out, err := apt("update"); err != nil {
			t.Fatalf("apt-get update: %v\n%s", err, out)
		}
		if out, err := apt("install", "-y", "chromium"); err != nil {
			t.Fatalf("apt-get install -y chromium: %v\n%s", err, out)
		}
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("chromium installed but %s is still missing: %v", chromiumPath, err)
	}
	return chromiumPath
}

// newBrowser starts a fresh headless Chromium with its own profile and
// returns a tab context bounded by timeout.
func newBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := ensureChromium(t)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profileDir(t)),
		chromedp.WindowSize(360, 740),
	)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(tabCtx); err != nil { // start the browser now
		t.Fatalf("start chromium: %v", err)
	}
	return tabCtx
}

// profileDir is a fresh --user-data-dir. Chromium's child processes can
// still write to it for a moment after the browser stops, so removal retries
// (t.TempDir would fail the test with "directory not empty").
func profileDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "hoiphuong-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 50 {
			if err := os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove %s", dir)
	})
	return dir
}
