package nlu

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// devTexts are the text turns of the dev set.
func devTexts(b *testing.B) []string {
	f, err := os.Open("../../eval/dev.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c struct{ Turns []json.RawMessage }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			b.Fatal(err)
		}
		for _, raw := range c.Turns {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// BenchmarkReadPlace is the place reader's cost a question (tokenising
// included).
func BenchmarkReadPlace(b *testing.B) {
	texts := devTexts(b)
	testIndexes(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		reader.Read(NewText(texts[i%len(texts)]), PlaceContext{})
	}
}

// BenchmarkRankMatter is the matter reader's cost a question: the phrase
// scorer and the example classifier, blended.
func BenchmarkRankMatter(b *testing.B) {
	texts := devTexts(b)
	testIndexes(b)
	queries := make([]Query, len(texts))
	for i, s := range texts {
		queries[i] = matters.Query(NewText(s), nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		matters.Rank(queries[i%len(queries)])
	}
}
