package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestAskJSON answers through `hoiphuong ask --json` against the real
// SQLite and Meilisearch: one process per question, as a shell user runs it.
func TestAskJSON(t *testing.T) {
	t.Parallel()
	e := remoteEnv(t) // one data folder and index prefix: the first call seeds and builds, the rest reuse
	tests := []struct {
		name           string
		args           []string // after "ask"
		wantKind       string
		wantAsks       string
		wantUnit       string
		wantCandidates []string
		wantProcedure  string
		wantInText     []string
	}{
		{name: "split ward asks for the street", args: []string{"--json", "Phường Đa Kao, Quận 1"},
			wantKind: "clarify", wantAsks: "street", wantCandidates: []string{"26737", "26740"},
			wantInText: []string{"Phường Sài Gòn", "Phường Tân Định"}},
		{name: "turns of one conversation", args: []string{"--json", "tôi muốn làm giấy khai sinh", "phường 5 quận 3"},
			wantKind: "answer", wantUnit: "27154", wantProcedure: "khai-sinh",
			wantInText: []string{"Phường Bàn Cờ", "Đăng ký khai sinh"}},
		{name: "a pin", args: []string{"--json", "@10.787557,106.669136"},
			wantKind: "answer", wantUnit: "27142", wantInText: []string{"Phường Nhiêu Lộc"}},
		{name: "flag after the turn", args: []string{"phường 5 quận 3", "--json"},
			wantKind: "answer", wantUnit: "27154"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, e, append([]string{"ask"}, tt.args...)...)
			if r.code != 0 {
				t.Fatalf("exit code %d\nstderr: %s", r.code, r.stderr)
			}
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(r.stdout), &fields); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, r.stdout)
			}
			for _, k := range []string{"kind", "text", "unit", "candidates", "procedure", "office", "citations", "kb_version", "as_of"} {
				if _, ok := fields[k]; !ok {
					t.Errorf("the JSON has no %q", k)
				}
			}
			a := decodeAnswer(t, []byte(r.stdout))
			got := candidateCodes(a)
			slices.Sort(got)
			if string(a.Kind) != tt.wantKind || a.Asks != tt.wantAsks || unitCode(a) != tt.wantUnit ||
				procedureID(a) != tt.wantProcedure || !slices.Equal(got, tt.wantCandidates) {
				t.Errorf("got kind=%s asks=%q unit=%q procedure=%q candidates=%v\nwant kind=%s asks=%q unit=%q procedure=%q candidates=%v",
					a.Kind, a.Asks, unitCode(a), procedureID(a), got,
					tt.wantKind, tt.wantAsks, tt.wantUnit, tt.wantProcedure, tt.wantCandidates)
			}
			for _, w := range tt.wantInText {
				if !strings.Contains(a.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, a.Text)
				}
			}
			if len(a.Citations) == 0 || a.KBVersion != 1 || a.AsOf == "" {
				t.Errorf("citations=%d kb_version=%d as_of=%q: every answer is sourced and dated", len(a.Citations), a.KBVersion, a.AsOf)
			}
			if strings.Contains(r.stdout, `\u003c`) || strings.Contains(r.stdout, `\u0026`) {
				t.Errorf("the JSON escapes HTML characters: %s", r.stdout)
			}
		})
	}
}
