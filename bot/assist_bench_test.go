package bot_test

import (
	"sort"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/llm"
	"github.com/hoiphuong/hoiphuong/bot/llm/llmtest"
)

// BenchmarkAssist: with a fake model answering in 300 ms, confident answers
// keep their latency (they never reach the model) and questions that reach
// it pay about the model's time. Reports p50/p99 in ms.
//
//	go test ./bot -run '^$' -bench Assist -benchtime 20x
func BenchmarkAssist(b *testing.B) {
	srv := llmtest.New(b, func(llmtest.Request) llmtest.Reply {
		return llmtest.Reply{Delay: 300 * time.Millisecond, Content: `{"place_mentions":[],"procedure_id":"","intent":"other"}`}
	})
	c, err := llm.New(llm.Config{BaseURL: srv.BaseURL(), Mode: llm.ModeUnderstand, Timeout: 3 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	off := bot.NewServiceForTest(b)
	on := bot.NewServiceWithAssistant(b, c, false)
	for _, bc := range []struct {
		name string
		s    *bot.Service
		q    string
	}{
		{"confident/off", off, confidentQ},
		{"confident/understand", on, confidentQ},
		{"unsure/off", off, unsureQ},
		{"unsure/understand", on, unsureQ},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var took []time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				askB(b, bc.s, bc.q)
				took = append(took, time.Since(start))
			}
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			ms := func(p float64) float64 { return float64(took[int(p*float64(len(took)-1))].Microseconds()) / 1000 }
			b.ReportMetric(ms(0.5), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
		})
	}
}
