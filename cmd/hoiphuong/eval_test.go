package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// evalCases: two cases the engine passes, one it cannot (no unit 99999).
const evalCases = `{"id": "split-da-kao", "kind": "split", "turns": ["Phường Đa Kao, Quận 1"], "expect": {"answer_kind": "clarify", "asks": "street", "candidates": ["26740", "26737"]}}
{"id": "matter-then-place", "kind": "procedure", "turns": ["tôi muốn làm giấy khai sinh", "phường 5 quận 3"], "expect": {"answer_kind": "answer", "unit": "27154", "procedure": "khai-sinh"}}

{"id": "wrong-unit", "kind": "procedure", "turns": ["phường 5 quận 3"], "expect": {"answer_kind": "answer", "unit": "99999"}}
`

// TestEval runs `hoiphuong eval` on a small case file: failures are listed
// with their id, the closing line counts them, --min-pass sets the exit
// code and --by-kind adds a table.
func TestEval(t *testing.T) {
	t.Parallel()
	e := remoteEnv(t)
	file := filepath.Join(t.TempDir(), "cases.jsonl")
	if err := os.WriteFile(file, []byte(evalCases), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(bad, []byte(evalCases+"{\"id\": \"broken\", \"turns\": [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const closing = "2 passed, 1 failed\n"
	byKind := []string{
		`(?m)^kind\s+passed\s+total\s+rate$`,
		`(?m)^procedure\s+1\s+2\s+50\.0%$`,
		`(?m)^split\s+1\s+1\s+100\.0%$`,
	}
	tests := []struct {
		name        string
		args        []string // after "eval"
		wantCode    int
		wantClosing bool     // stdout ends with "2 passed, 1 failed"
		wantStdout  []string // regular expressions
		noStdout    []string
		wantStderr  []string
	}{
		{name: "below --min-pass", args: []string{file, "--min-pass", "1"}, wantCode: 1, wantClosing: true,
			wantStdout: []string{`(?m)^FAIL wrong-unit \[procedure\] \["phường 5 quận 3"\]$`, `(?m)^  unit: want 99999, got 27154$`},
			noStdout:   []string{"FAIL split-da-kao", "FAIL matter-then-place", "total"},
			wantStderr: []string{"pass rate 66.7% is below --min-pass 100.0%"}},
		{name: "above --min-pass, flag first", args: []string{"--min-pass", "0.5", file}, wantClosing: true,
			wantStdout: []string{`FAIL wrong-unit`}},
		{name: "no --min-pass", args: []string{file}, wantClosing: true, wantStdout: []string{`FAIL wrong-unit`}},
		{name: "--by-kind", args: []string{file, "--by-kind"}, wantClosing: true, wantStdout: byKind},
		{name: "--lengths", args: []string{file, "--lengths"}, wantClosing: true,
			wantStdout: []string{`(?m)^answer length \(characters\): median \d+, p90 \d+, max \d+ over 3 answers; median without the sources line \d+; median shown on the web before “Xem chi tiết” \d+$`}},
		{name: "a broken line", args: []string{bad}, wantCode: 1, wantStderr: []string{"bad.jsonl: line 5:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, e, append([]string{"eval"}, tt.args...)...)
			if r.code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			if tt.wantClosing && !strings.HasSuffix(r.stdout, closing) {
				t.Errorf("stdout does not close with %q:\n%s", closing, r.stdout)
			}
			for _, w := range tt.wantStdout {
				if !regexp.MustCompile(w).MatchString(r.stdout) {
					t.Errorf("stdout does not match %s:\n%s", w, r.stdout)
				}
			}
			for _, w := range tt.noStdout {
				if strings.Contains(r.stdout, w) {
					t.Errorf("stdout has %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}
