package nlu

import "testing"

// benchTexts are the seed's example questions: citizens' own phrasings,
// short and long, some with places.
func benchTexts(b *testing.B) []string {
	testIndexes(b)
	var out []string
	for _, p := range places.KB().Procedures {
		out = append(out, p.Examples...)
	}
	if len(out) == 0 {
		b.Fatal("no example questions in the seed")
	}
	return out
}

// BenchmarkReadPlace is the place reader's cost a question (tokenising
// included).
func BenchmarkReadPlace(b *testing.B) {
	texts := benchTexts(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		reader.Read(NewText(texts[i%len(texts)]), PlaceContext{})
	}
}

// BenchmarkRankMatter is the matter reader's cost a question: the phrase
// scorer and the example classifier, blended.
func BenchmarkRankMatter(b *testing.B) {
	texts := benchTexts(b)
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
