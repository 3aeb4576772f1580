package main

import (
	"context"
	"flag"
	"fmt"
)

func runIndex(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong index

Rebuilds the Meilisearch indexes (units, old_units, procedures) from the
newest knowledge base version in SQLite: builds *_next copies, checks every
task, swaps them in atomically. Searches keep answering meanwhile.`)
	}
	if _, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	}
	a, err := openApp(ctx, e, appOptions{})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.index.SetVersion(ctx, -1); err != nil { // force the rebuild
		return err
	}
	return a.ensureIndex(ctx)
}
