package meili

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
)

// Locate finds the meilisearch binary to run, in this order: binFlag (the
// MEILI_BIN setting) when not empty, `meilisearch` on PATH, installDir/
// meilisearch, and else it installs the pinned release into installDir.
// A binary already in installDir is trusted: Install only ever renames a
// verified binary into place.
func Locate(ctx context.Context, binFlag, installDir string, logger *slog.Logger) (string, error) {
	logger = orDiscard(logger)
	if binFlag != "" {
		if err := checkExecutable(binFlag); err != nil {
			return "", fmt.Errorf("meili: MEILI_BIN: %w", err)
		}
		return binFlag, nil
	}
	if p, err := exec.LookPath(BinaryName); err == nil {
		logger.Debug("using meilisearch from PATH", "path", p)
		return p, nil
	}
	if installDir == "" {
		return "", errors.New("meili: no MEILI_BIN, no meilisearch on PATH and no install folder")
	}
	local := filepath.Join(installDir, BinaryName)
	if err := checkExecutable(local); err == nil {
		return local, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		logger.Warn("ignoring unusable meilisearch binary", "path", local, "err", err)
	}
	return Install(ctx, installDir, logger)
}

// checkExecutable reports why path cannot be run as a program, if it cannot.
func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not executable", path)
	}
	return nil
}
