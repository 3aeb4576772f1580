package handoff

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/llm"
	"github.com/hoiphuong/hoiphuong/bot/llm/llmtest"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// modelSummary is what the scripted model answers: the facts of the chat
// below, in other words.
const modelSummary = "Người dân cần đăng ký khai sinh cho con.\nNơi ở: Phường Bàn Cờ (Phường 5, Quận 3 cũ).\nBot đã chỉ nơi nộp; người dân muốn gặp cán bộ."

// summaryRig is a rig whose desk summarises with bot/llm over a scripted
// server.
func summaryRig(t *testing.T, llmTimeout time.Duration, reply llmtest.Reply) (*rig, *llmtest.Server) {
	t.Helper()
	srv := llmtest.New(t, func(r llmtest.Request) llmtest.Reply { return reply })
	client, err := llm.New(llm.Config{BaseURL: srv.BaseURL(), Model: "scripted", Mode: llm.ModeUnderstand, Timeout: llmTimeout})
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, at(0, 9, 0), func(c *Config) {
		c.Summarizer = client
		c.SummaryTimeout = llmTimeout
	})
	return r, srv
}

// handOff has a citizen of Phường 5, Quận 3 ask for a birth certificate
// and then for a person; it returns the conversation and the handoff's
// summary as staff see it right after the answer.
func handOff(t *testing.T, r *rig) (string, string) {
	t.Helper()
	id, a := r.chat(t, "", "Phường 5, Quận 3", "làm khai sinh cho con, sđt em 0903123456", "cho tôi gặp cán bộ")
	if a.Kind != bot.KindHandoff {
		t.Fatalf("answer = %+v, want a handoff", a)
	}
	v, err := r.desk.Conversation(t.Context(), supA, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	return id, v.Summary
}

func summaryNow(t *testing.T, r *rig, id string) string {
	t.Helper()
	r.desk.WaitSummaries()
	v, err := r.desk.Conversation(t.Context(), supA, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v.Summary
}

func TestHandoffSummaryFromTheModel(t *testing.T) {
	r, srv := summaryRig(t, 3*time.Second, llmtest.Reply{Content: modelSummary, Delay: 300 * time.Millisecond})
	events, stop := r.desk.Hub().Subscribe(func(e live.Event) bool { return e.Kind == live.Summary })
	defer stop()

	start := time.Now()
	id, first := handOff(t, r)
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("the handoff answer waited %s for the model", d)
	}
	if !strings.Contains(first, "Việc cần làm: Đăng ký khai sinh") || !strings.Contains(first, "Phường Bàn Cờ") {
		t.Errorf("summary before the model answered = %q, want the template", first)
	}
	if got := summaryNow(t, r, id); got != modelSummary {
		t.Errorf("summary = %q, want the model's", got)
	}
	select {
	case e := <-events:
		if e.ConversationID != id || e.Unit != "27154" {
			t.Errorf("summary event = %+v", e)
		}
	case <-time.After(time.Second):
		t.Error("no live summary event")
	}

	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Chat == nil {
		t.Fatalf("model requests = %d", len(reqs))
	}
	sent := reqs[0].User()
	for _, want := range []string{"Việc cần làm: Đăng ký khai sinh", "Người dân: làm khai sinh cho con", "Hỏi Phường: "} {
		if !strings.Contains(sent, want) {
			t.Errorf("transcript lacks %q:\n%s", want, sent)
		}
	}
	if strings.Contains(sent, "0903123456") {
		t.Error("the citizen's phone number left unmasked")
	}
}

func TestHandoffSummaryKeepsTheTemplate(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		reply   llmtest.Reply
	}{
		{"timeout", 200 * time.Millisecond, llmtest.Reply{Content: modelSummary, Delay: 2 * time.Second}},
		{"server error", time.Second, llmtest.Reply{Status: http.StatusInternalServerError}},
		{"invented unit", time.Second, llmtest.Reply{Content: "Người dân cần khai sinh cho con.\nNơi ở: Phường Sài Gòn."}},
		{"invented old ward", time.Second, llmtest.Reply{Content: "Khai sinh cho con.\nNơi ở: phường 7, quận 3 cũ."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, srv := summaryRig(t, tt.timeout, tt.reply)
			start := time.Now()
			id, template := handOff(t, r)
			if d := time.Since(start); d > 250*time.Millisecond {
				t.Errorf("the handoff answer waited %s", d)
			}
			if got := summaryNow(t, r, id); got != template {
				t.Errorf("summary = %q, want the template %q", got, template)
			}
			if d := time.Since(start); d > tt.timeout+time.Second {
				t.Errorf("the summary was settled after %s", d)
			}
			if srv.Count() == 0 {
				t.Error("the model was not asked")
			}
		})
	}
}

func TestCheckSummary(t *testing.T) {
	d := &Desk{cfg: Config{Catalog: NewCatalog(func() *knowledge.KB { return kbSeedT(t) })}}
	template := "Việc cần làm: Đăng ký khai sinh.\nNơi ở: địa chỉ cũ Phường 5, Quận 3, thuộc Phường Bàn Cờ."
	st := bot.State{OldPlace: "Phường 5, Quận 3", Unit: &bot.UnitRef{Code: "27154", Name: "Phường Bàn Cờ"},
		Candidates: []bot.UnitRef{{Code: "x", Name: "Phường Xuân Hòa"}}}
	tests := []struct {
		text string
		ok   bool
	}{
		{"Khai sinh cho con.\nỞ Phường Bàn Cờ (P.5, Q.3 cũ).", true},
		{"Khai sinh cho con ở phường Bàn Cờ; có thể là Phường Xuân Hòa.", true},
		{"Khai sinh cho con tại TP. Hồ Chí Minh.", true},
		{"Khai sinh.", true},
		{"Một.\nHai.\nBa.\nBốn.", false},
		{"", false},
		{"Khai sinh cho con tại Phường Sài Gòn.", false},
		{"Khai sinh cho con tại phường sài gòn.", false}, // a KB unit, even in lower case
		{"Khai sinh ở Phường 7, Quận 3.", false},
		{"Khai sinh ở P.7.", false},
		{"Khai sinh ở xã Tân Thới Nhì.", false},
		{strings.Repeat("rất dài ", 60), false},
	}
	for _, tt := range tests {
		err := d.checkSummary(tt.text, template, st)
		if (err == nil) != tt.ok {
			t.Errorf("checkSummary(%q) = %v, want ok %v", tt.text, err, tt.ok)
		}
		if err != nil && !errors.Is(err, errSummary) {
			t.Errorf("error %v is not errSummary", err)
		}
	}
}

func kbSeedT(t *testing.T) *knowledge.KB {
	t.Helper()
	newRig(t, at(0, 9, 0)) // loads kbSeed once
	return kbSeed
}
