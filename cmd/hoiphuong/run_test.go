package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRunExitCodes drives every subcommand's argument and configuration
// handling through run, as main calls it. None of these cases may reach
// SQLite or Meilisearch: the data folder must stay empty.
func TestRunExitCodes(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.jsonl")
	tests := []runCase{
		{name: "no args", args: nil, wantCode: 2, wantStdout: []string{"Usage: hoiphuong <command>", "serve", "eval"}},
		{name: "--help", args: []string{"--help"}, wantCode: 0, wantStdout: []string{"Usage: hoiphuong <command>"}},
		{name: "help", args: []string{"help"}, wantCode: 0, wantStdout: []string{"Usage: hoiphuong <command>"}},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: 2,
			wantStderr: []string{`unknown command "frobnicate"`, "Usage: hoiphuong <command>"}},
		{name: "ask without a question", args: []string{"ask"}, wantCode: 2, wantStderr: []string{"Usage: hoiphuong ask"}},
		{name: "ask --json without a question", args: []string{"ask", "--json"}, wantCode: 2, wantStderr: []string{"Usage: hoiphuong ask"}},
		{name: "ask with an unknown flag", args: []string{"ask", "--frob", "x"}, wantCode: 2,
			wantStderr: []string{"flag provided but not defined: -frob", "Usage: hoiphuong ask"}},
		{name: "eval without a file", args: []string{"eval"}, wantCode: 2, wantStderr: []string{"Usage: hoiphuong eval"}},
		{name: "eval with a missing file", args: []string{"eval", missing}, wantCode: 1,
			wantStderr: []string{"hoiphuong eval:", missing, "no such file"}},
		{name: "eval with a bad --min-pass", args: []string{"eval", missing, "--min-pass", "lots"}, wantCode: 2,
			wantStderr: []string{"invalid value \"lots\" for flag -min-pass"}},
		{name: "bad LOG_LEVEL", env: map[string]string{"LOG_LEVEL": "loud"}, args: []string{"ask", "phường 5 quận 3"}, wantCode: 1,
			wantStderr: []string{`hoiphuong ask: LOG_LEVEL: "loud" is not debug, info, warn or error`}},
		{name: "every bad value is reported", args: []string{"index"}, wantCode: 1,
			env: map[string]string{"LOG_LEVEL": "loud", "MAX_TEXT_LENGTH": "3", "MEILI_URL": "ftp://meili",
				"CHAT_OPEN_LIMIT": "lots", "CHAT_MESSAGE_LIMIT": "0/1s", "TRUSTED_PROXIES": "10.0.0.0/8, proxy"},
			wantStderr: []string{`LOG_LEVEL: "loud"`, `MAX_TEXT_LENGTH: "3" must be a number ≥ 10`,
				`MEILI_URL: "ftp://meili" must start with http:// or https://`,
				`CHAT_OPEN_LIMIT: "lots" must be N/duration (e.g. 20/30s) or off`, `CHAT_MESSAGE_LIMIT: "0/1s" must be`,
				`TRUSTED_PROXIES: "proxy" is not an address or a prefix`}},
		{name: "bad OUTBOX_IN_DOUBT", env: map[string]string{"OUTBOX_IN_DOUBT": "maybe"}, args: []string{"ask", "phường 5 quận 3"}, wantCode: 1,
			wantStderr: []string{`hoiphuong ask: OUTBOX_IN_DOUBT: "maybe" is not resend or hold`}},
		{name: "outbox list without a database", args: []string{"outbox", "list"}, wantCode: 1,
			wantStderr: []string{"hoiphuong outbox: no gateway database"}},
		{name: "outbox resend without an id", args: []string{"outbox", "resend"}, wantCode: 2, wantStderr: []string{"Usage: hoiphuong outbox"}},
		{name: "outbox resend with a bad id", args: []string{"outbox", "resend", "x"}, wantCode: 2,
			wantStderr: []string{`"x" is not a message id`}},
		{name: "short embedded master key", args: []string{"serve"}, wantCode: 1,
			env:        map[string]string{"MEILI_URL": "", "MEILI_MASTER_KEY": "short"},
			wantStderr: []string{"hoiphuong serve: MEILI_MASTER_KEY: must be at least 16 bytes"}},
	}
	for _, c := range commands() { // every subcommand's own --help and -h
		usage := []string{"Usage: hoiphuong " + c.name}
		tests = append(tests,
			runCase{name: c.name + " --help", args: []string{c.name, "--help"}, wantStderr: usage},
			runCase{name: c.name + " -h", args: []string{c.name, "-h"}, wantStderr: usage})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dataDir := filepath.Join(t.TempDir(), "data")
			e := testEnv{"DATA_DIR": dataDir, "MEILI_INSTALL_DIR": t.TempDir(), "MEILI_URL": "http://127.0.0.1:1"}
			for k, v := range tt.env {
				e[k] = v
			}
			r := runCLI(t, e, tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if len(tt.wantStdout) == 0 && r.stdout != "" {
				t.Errorf("unexpected stdout: %s", r.stdout)
			}
			if matches, _ := filepath.Glob(filepath.Join(dataDir, "*")); len(matches) > 0 {
				t.Errorf("the data folder was touched: %v", matches)
			}
		})
	}
}

type runCase struct {
	name       string
	env        map[string]string // on top of a fresh DATA_DIR
	args       []string
	wantCode   int
	wantStdout []string // each must appear; none: stdout must be empty
	wantStderr []string
}
