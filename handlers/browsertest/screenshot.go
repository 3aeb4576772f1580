package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Screenshot saves the viewport as name under t.TempDir(), and also under
// $SCREENSHOT_DIR when it is set. It returns the paths written.
func Screenshot(t testing.TB, ctx context.Context, name string) []string {
	t.Helper()
	png := Run(t, ctx, chromedp.CaptureScreenshot())
	dirs := []string{t.TempDir()}
	if d := os.Getenv("SCREENSHOT_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	var paths []string
	for _, dir := range dirs {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("screenshot dir: %v", err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatalf("write screenshot: %v", err)
		}
		t.Logf("screenshot: %s", path)
		paths = append(paths, path)
	}
	return paths
}
