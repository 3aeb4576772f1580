package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/hoiphuong/hoiphuong/bot/eval"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	minPass := fs.Float64("min-pass", 0, "exit non-zero when the pass rate is below this (0..1)")
	byKind := fs.Bool("by-kind", false, "print a table of pass rates per case kind")
	lengths := fs.Bool("lengths", false, "print the median (and p90, max) length in characters of the last answers")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong eval FILE.jsonl [--min-pass 0.95] [--by-kind] [--lengths]

Runs every case in a fresh conversation through the same engine the channels
use, prints each failure and closes with "N passed, M failed".`)
		fs.PrintDefaults()
	}
	files, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return exitError{2}
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	cases, err := eval.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	a, err := openApp(ctx, e, appOptions{quiet: true, scratch: true})
	if err != nil {
		return err
	}
	defer a.close()
	results := eval.Run(ctx, a.service, cases)
	if *lengths {
		eval.WriteLengths(e.stdout, eval.MeasureLengths(results))
	}
	rate := eval.Report(e.stdout, results, *byKind)
	if rate < *minPass {
		fmt.Fprintf(e.stderr, "pass rate %.1f%% is below --min-pass %.1f%%\n", 100*rate, 100**minPass)
		return exitError{1}
	}
	return nil
}
