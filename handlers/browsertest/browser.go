// Package browsertest drives the gateway's web pages in a real headless
// Chromium for tests: it finds (or, as root, installs) Debian's chromium,
// starts a fresh browser per test with the flags the page tests rely on,
// saves screenshots (also under $SCREENSHOT_DIR), watches for dialogs and
// console errors, and reads the chat page's state back. It never skips: a
// page test without a browser fails loudly.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// Width and Height are the phone-sized window every browser starts with.
const (
	Width  = 360
	Height = 740
)

// Chromium returns the browser path, installing the Debian package when it
// is missing and the test runs as root.
func Chromium(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err == nil {
		return ChromiumPath
	}
	if os.Geteuid() != 0 {
		t.Fatalf("%s is missing and the test is not root: install it with `apt-get install -y chromium`", ChromiumPath)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	apt := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "apt-get", append([]string{"-o", "DPkg::Lock::Timeout=600"}, args...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		return cmd.CombinedOutput()
	}
	t.Logf("%s is missing: installing chromium with apt-get", ChromiumPath)
	if out, err := apt("install", "-y", "chromium"); err != nil {
		t.Logf("apt-get install failed (%v), updating the package lists:\n%s", err, out)
		if out, err := apt("update"); err != nil {
			t.Fatalf("apt-get update: %v\n%s", err, out)
		}
		if out, err := apt("install", "-y", "chromium"); err != nil {
			t.Fatalf("apt-get install -y chromium: %v\n%s", err, out)
		}
	}
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Fatalf("chromium installed but %s is still missing: %v", ChromiumPath, err)
	}
	return ChromiumPath
}

// New starts a fresh headless Chromium with its own profile and returns a
// tab context bounded by timeout. The browser is stopped when the test ends.
func New(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	path := Chromium(t)
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
		chromedp.WindowSize(Width, Height),
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
func profileDir(t testing.TB) string {
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

// Do runs steps in the tab and fails the test on error.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("chromium: %v", err)
	}
}

// Run runs one action that yields a value and fails the test on error.
func Run[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return v
}

// EmulatePhone makes the tab a Width×Height touch phone at 2× pixels.
func EmulatePhone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(Width, Height, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
}
