package main

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/eval"
	"github.com/hoiphuong/hoiphuong/bot/llm/llmtest"
)

// TestLLMConfig: off unless a key or a base URL is set; bad values are
// reported; the key never shows in the dump.
func TestLLMConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     testEnv
		mode    string
		timeout time.Duration
		errs    []string
	}{
		{name: "nothing set", env: testEnv{}, mode: "off", timeout: 3 * time.Second},
		{name: "model alone is not enough", env: testEnv{"OPENAI_MODEL": "qwen"}, mode: "off", timeout: 3 * time.Second},
		{name: "key", env: testEnv{"OPENAI_API_KEY": "sk-secret-123"}, mode: "understand", timeout: 3 * time.Second},
		{name: "local server, full", env: testEnv{"OPENAI_BASE_URL": "http://localhost:11434/v1/", "LLM_MODE": "full", "LLM_TIMEOUT": "1500ms"}, mode: "full", timeout: 1500 * time.Millisecond},
		{name: "explicitly off", env: testEnv{"OPENAI_API_KEY": "sk-secret-123", "LLM_MODE": "off"}, mode: "off", timeout: 3 * time.Second},
		{name: "bad values", env: testEnv{"OPENAI_BASE_URL": "localhost:11434", "LLM_MODE": "always", "LLM_TIMEOUT": "3"},
			errs: []string{"LLM_MODE: \"always\"", "OPENAI_BASE_URL: \"localhost:11434\" must start with http://", "LLM_TIMEOUT: \"3\""}},
		{name: "a mode without an endpoint", env: testEnv{"LLM_MODE": "understand"}, errs: []string{"LLM_MODE=understand needs OPENAI_API_KEY or OPENAI_BASE_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["DATA_DIR"] = t.TempDir()
			c, err := loadConfig(tt.env.getenv, "")
			if len(tt.errs) > 0 {
				for _, want := range tt.errs {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("error %v, want it to contain %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.LLM.Mode != tt.mode || c.LLM.Timeout != tt.timeout {
				t.Errorf("mode %s timeout %v, want %s %v", c.LLM.Mode, c.LLM.Timeout, tt.mode, tt.timeout)
			}
			if s := c.String(); strings.Contains(s, "sk-secret-123") || !strings.Contains(s, "LLM_MODE="+tt.mode) {
				t.Errorf("config dump: %s", s)
			}
		})
	}
}

// devEval runs the dev set through an app opened with env, counting the
// cases during which the scripted model (if any) was called.
func devEval(t *testing.T, e testEnv, srv *llmtest.Server) (results []eval.Result, reached []string) {
	t.Helper()
	f, err := os.Open("../../eval/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := eval.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var stderr bytes.Buffer
	a, err := openApp(ctx, &env{getenv: e.getenv, stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &stderr}, appOptions{quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	for _, c := range cases {
		before := 0
		if srv != nil {
			before = srv.Count()
		}
		results = append(results, eval.Run(ctx, a.service, []eval.Case{c})...)
		if srv != nil && srv.Count() > before {
			reached = append(reached, c.ID)
		}
	}
	return results, reached
}

func passed(rs []eval.Result) (n int, ok map[string]bool) {
	ok = map[string]bool{}
	for _, r := range rs {
		if r.Passed() {
			n++
			ok[r.Case.ID] = true
		}
	}
	return n, ok
}

// scriptedReader is a plausible model in understand mode: it names the
// first candidate when the message shares a word with its name, else "",
// and echoes the place the message names after a type word.
func scriptedReader(r llmtest.Request) llmtest.Reply {
	if r.Chat == nil || r.Chat.ResponseFormat == nil {
		return llmtest.Reply{Content: "?"}
	}
	msg := strings.ToLower(r.Message())
	id := ""
	if cs := r.Candidates(); len(cs) > 0 {
		for _, l := range strings.Split(r.User(), "\n") {
			if strings.HasPrefix(l, "- "+cs[0]+": ") && sharesWord(msg, strings.ToLower(strings.TrimPrefix(l, "- "+cs[0]+": "))) {
				id = cs[0]
			}
		}
	}
	var places []string
	for _, marker := range []string{"phường ", "xã "} {
		if i := strings.Index(msg, marker); i >= 0 {
			places = append(places, strings.TrimRight(msg[i:], " ?.!"))
		}
	}
	intent := bot.ReadIntentOther
	if id != "" {
		intent = bot.ReadIntentProcedure
	}
	return llmtest.Reply{Content: llmtest.JSON(bot.Reading{PlaceMentions: append([]string{}, places...), ProcedureID: id, Intent: intent})}
}

// sharesWord reports whether a and b share a two-syllable word other than
// "đăng ký" (one shared syllable means little in Vietnamese).
func sharesWord(a, b string) bool {
	bigrams := func(s string) []string {
		f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '.' || r == '?' || r == '(' || r == ')' })
		var out []string
		for i := 0; i+1 < len(f); i++ {
			if bg := f[i] + " " + f[i+1]; bg != "đăng ký" {
				out = append(out, bg)
			}
		}
		return out
	}
	bs := bigrams(b)
	return slices.ContainsFunc(bigrams(a), func(bg string) bool { return slices.Contains(bs, bg) })
}

// TestDevEvalWithLLM runs the dev set with the LLM off (≥ 95 %, and with
// an endpoint configured but LLM_MODE=off, not one request) and in
// understand mode against a scripted model: no case may get worse, and
// confident answers never reach the model.
func TestDevEvalWithLLM(t *testing.T) {
	e := remoteEnv(t)
	fail := llmtest.Fail(t)
	e["OPENAI_BASE_URL"], e["LLM_MODE"] = fail.BaseURL(), "off"
	off, _ := devEval(t, e, fail)
	nOff, okOff := passed(off)
	if rate := float64(nOff) / float64(len(off)); rate < 0.95 {
		t.Fatalf("LLM off: %d/%d (%.1f%%) below 95%%", nOff, len(off), 100*rate)
	}

	srv := llmtest.New(t, scriptedReader)
	e2 := remoteEnv(t)
	e2["OPENAI_BASE_URL"], e2["OPENAI_API_KEY"], e2["LLM_TIMEOUT"] = srv.BaseURL(), "sk-test", "2s" // mode: understand by default
	on, reached := devEval(t, e2, srv)
	nOn, okOn := passed(on)
	for id := range okOff {
		if !okOn[id] {
			t.Errorf("%s passes with the LLM off but not in understand mode", id)
		}
	}
	share := float64(len(reached)) / float64(len(on))
	t.Logf("dev eval: LLM off %d/%d; understand mode %d/%d; reached the model: %d/%d (%.1f%%) %v",
		nOff, len(off), nOn, len(on), len(reached), len(on), 100*share, reached)
	if share > 0.25 {
		t.Errorf("%.0f%% of dev questions reached the model: the fast path should answer most", 100*share)
	}
}
