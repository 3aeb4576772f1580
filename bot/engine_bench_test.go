package bot

import (
	"context"
	"os"
	"testing"

	"bufio"
	"encoding/json"
)

// BenchmarkRespond measures the engine alone (no search index, no store)
// over every text turn of the dev set.
func BenchmarkRespond(b *testing.B) {
	f, err := os.Open("../eval/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var msgs []Message
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c struct{ Turns []json.RawMessage }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			b.Fatal(err)
		}
		for _, raw := range c.Turns {
			var m Message
			if json.Unmarshal(raw, &m.Text) != nil {
				m.Location = &Location{}
				if err := json.Unmarshal(raw, m.Location); err != nil {
					b.Fatal(err)
				}
			}
			msgs = append(msgs, m)
		}
	}
	e := newTestService(b).engine
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st := State{}
		e.Respond(ctx, &st, msgs[i%len(msgs)])
	}
}
