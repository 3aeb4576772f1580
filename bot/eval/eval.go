// Package eval runs citizen-conversation test sets (JSONL, one case a line;
// format in eval/README.md) through the same conversation entry point the
// channels use, and reports every failure and the pass rate per kind.
package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot"
)

// Case is one conversation with its expectations on the last answer.
type Case struct {
	ID     string                     `json:"id"`
	Kind   string                     `json:"kind"`
	Turns  []Turn                     `json:"turns"`
	Expect map[string]json.RawMessage `json:"expect"`
}

// Turn is a text message or a location pin.
type Turn struct {
	Text     string
	Location *bot.Location
}

// UnmarshalJSON accepts a string or {"lat":…, "lon":…}.
func (t *Turn) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &t.Text)
	}
	var loc bot.Location
	if err := json.Unmarshal(b, &loc); err != nil {
		return fmt.Errorf("turn: %w", err)
	}
	t.Location = &loc
	return nil
}

// MarshalJSON writes the turn back in the file's form.
func (t Turn) MarshalJSON() ([]byte, error) {
	if t.Location != nil {
		return json.Marshal(t.Location)
	}
	return json.Marshal(t.Text)
}

// Read parses a JSONL case file; a bad line is reported with its number.
func Read(r io.Reader) ([]Case, error) {
	var out []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var c Case
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if len(c.Turns) == 0 {
			return nil, fmt.Errorf("line %d: case %q has no turns", line, c.ID)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	return out, nil
}

// Result is the outcome of one case.
type Result struct {
	Case     Case
	Answer   bot.Answer
	Failures []string // one line per expectation that did not hold
	Err      error
}

// Passed reports whether every expectation held.
func (r Result) Passed() bool { return r.Err == nil && len(r.Failures) == 0 }

// Run plays every case in a fresh conversation on channel "eval".
func Run(ctx context.Context, conv bot.Conversations, cases []Case) []Result {
	out := make([]Result, 0, len(cases))
	for _, c := range cases {
		out = append(out, runCase(ctx, conv, c))
	}
	return out
}

func runCase(ctx context.Context, conv bot.Conversations, c Case) Result {
	r := Result{Case: c}
	id, err := conv.Start(ctx, "eval")
	if err != nil {
		r.Err = err
		return r
	}
	for _, t := range c.Turns {
		r.Answer, err = conv.Handle(ctx, bot.Message{ConversationID: id, Channel: "eval", Text: t.Text, Location: t.Location})
		if err != nil {
			r.Err = err
			return r
		}
	}
	r.Failures = Check(c.Expect, r.Answer)
	return r
}

// Check compares an answer with a case's expectations.
func Check(expect map[string]json.RawMessage, a bot.Answer) []string {
	var fails []string
	keys := make([]string, 0, len(expect))
	for k := range expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		raw := expect[k]
		switch k {
		case "answer_kind":
			var one string
			var many []string
			if json.Unmarshal(raw, &one) == nil {
				many = []string{one}
			} else if err := json.Unmarshal(raw, &many); err != nil {
				fails = append(fails, "answer_kind: bad expectation "+string(raw))
				continue
			}
			if !contains(many, string(a.Kind)) {
				fails = append(fails, fmt.Sprintf("answer_kind: want %s, got %s", strings.Join(many, "|"), a.Kind))
			}
		case "unit", "asks", "procedure":
			if want, got := nullableString(raw), scalar(k, a); want != got {
				fails = append(fails, fmt.Sprintf("%s: want %s, got %s", k, show(want), show(got)))
			}
		case "candidates":
			var want []string
			_ = json.Unmarshal(raw, &want)
			var got []string
			for _, c := range a.Candidates {
				got = append(got, c.Code)
			}
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(want, ",") != strings.Join(got, ",") {
				fails = append(fails, fmt.Sprintf("candidates: want [%s], got [%s]", strings.Join(want, ","), strings.Join(got, ",")))
			}
		}
	}
	return fails
}

// scalar is the answer's value for a single-valued expectation ("" = null).
func scalar(key string, a bot.Answer) string {
	switch {
	case key == "unit" && a.Unit != nil:
		return a.Unit.Code
	case key == "procedure" && a.Procedure != nil:
		return a.Procedure.ID
	case key == "asks":
		return a.Asks
	}
	return ""
}

func nullableString(raw json.RawMessage) string {
	var s *string
	if json.Unmarshal(raw, &s) != nil || s == nil {
		return ""
	}
	return *s
}

func show(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Report writes every failure, an optional per-kind table and the closing
// line "N passed, M failed". It returns the pass rate.
func Report(w io.Writer, results []Result, byKind bool) float64 {
	passed := 0
	type tally struct{ pass, total int }
	kinds := map[string]*tally{}
	for _, r := range results {
		k := kinds[r.Case.Kind]
		if k == nil {
			k = &tally{}
			kinds[r.Case.Kind] = k
		}
		k.total++
		if r.Passed() {
			passed++
			k.pass++
			continue
		}
		turns, _ := json.Marshal(r.Case.Turns)
		fmt.Fprintf(w, "FAIL %s [%s] %s\n", r.Case.ID, r.Case.Kind, turns)
		if r.Err != nil {
			fmt.Fprintf(w, "  error: %v\n", r.Err)
		}
		for _, f := range r.Failures {
			fmt.Fprintf(w, "  %s\n", f)
		}
		fmt.Fprintf(w, "  got kind=%s text=%q\n", r.Answer.Kind, firstLine(r.Answer.Text))
	}
	if byKind {
		names := make([]string, 0, len(kinds))
		for k := range kinds {
			names = append(names, k)
		}
		sort.Strings(names)
		fmt.Fprintf(w, "\n%-22s %7s %7s %7s\n", "kind", "passed", "total", "rate")
		for _, k := range names {
			t := kinds[k]
			fmt.Fprintf(w, "%-22s %7d %7d %6.1f%%\n", k, t.pass, t.total, 100*float64(t.pass)/float64(t.total))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, len(results)-passed)
	if len(results) == 0 {
		return 0
	}
	return float64(passed) / float64(len(results))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
