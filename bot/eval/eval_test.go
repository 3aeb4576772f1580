package eval

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
)

func TestCheck(t *testing.T) {
	a := bot.Answer{Kind: bot.KindClarify, Asks: bot.AskStreet, Candidates: []bot.UnitRef{{Code: "26740"}, {Code: "26737"}},
		Procedure: &bot.ProcedureRef{ID: "khai-sinh"}}
	tests := []struct {
		expect string
		fails  int
	}{
		{`{"answer_kind":"clarify","asks":"street","candidates":["26737","26740"],"procedure":"khai-sinh"}`, 0},
		{`{"answer_kind":["answer","clarify"]}`, 0},
		{`{"answer_kind":"answer"}`, 1},
		{`{"unit":null}`, 0},
		{`{"unit":"26740"}`, 1},
		{`{"candidates":["26740"]}`, 1},
		{`{"procedure":null}`, 1},
		{`{"asks":"district","procedure":"ket-hon"}`, 2},
		{`{"new_key":"ignored"}`, 0},
	}
	for _, tt := range tests {
		var exp map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tt.expect), &exp); err != nil {
			t.Fatal(err)
		}
		if got := Check(exp, a); len(got) != tt.fails {
			t.Errorf("%s: %d failures %q, want %d", tt.expect, len(got), got, tt.fails)
		}
	}
}

func TestRead(t *testing.T) {
	cases, err := Read(strings.NewReader(`{"id":"a","kind":"location","turns":["x",{"lat":10.7,"lon":106.6}],"expect":{}}` + "\n\n"))
	if err != nil || len(cases) != 1 || cases[0].Turns[1].Location == nil || cases[0].Turns[0].Text != "x" {
		t.Fatalf("Read: %+v, %v", cases, err)
	}
	for _, bad := range []string{`{"id":"b","turns":[]}`, `{not json}`, `{"id":"c","turns":[true]}`} {
		if _, err := Read(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("Read(%s): error %v, want one naming line 1", bad, err)
		}
	}
}

func TestMeasureLengths(t *testing.T) {
	res := func(texts ...string) []Result {
		var out []Result
		for _, s := range texts {
			out = append(out, Result{Answer: bot.Answer{Text: s}})
		}
		return out
	}
	tests := []struct {
		name    string
		results []Result
		want    Lengths
	}{
		{"none", nil, Lengths{}},
		{"odd count, runes not bytes", res("ạ", "abc", "phường"), Lengths{Answers: 3, Median: 3, P90: 6, Max: 6, BodyMedian: 3, FoldedMedian: 3}},
		{"even count", res("a", "ab", "abcd", "abcdefgh"), Lengths{Answers: 4, Median: 3, P90: 8, Max: 8, BodyMedian: 3, FoldedMedian: 3}},
		{"empty texts and errors left out", append(res("", "abcd"), Result{Err: io.EOF, Answer: bot.Answer{Text: "x"}}),
			Lengths{Answers: 1, Median: 4, P90: 4, Max: 4, BodyMedian: 4, FoldedMedian: 4}},
		{"the sources line is left out of the body", []Result{{Answer: bot.Answer{Text: "Trả lời.\n\nNguồn: NQ 1.", Footer: "Nguồn: NQ 1."}}},
			Lengths{Answers: 1, Median: 22, P90: 22, Max: 22, BodyMedian: 8, FoldedMedian: 8}},
		{"the web shows the lead, or the body without the map line",
			[]Result{
				{Answer: bot.Answer{Text: "Ngắn.\nChi tiết dài.\n\nNguồn: NQ 1.", Lead: "Ngắn.", Footer: "Nguồn: NQ 1."}},
				{Answer: bot.Answer{Text: "Trả lời.\nBản đồ: https://m/x\n\nNguồn: NQ 1.", Footer: "Nguồn: NQ 1.", Office: &bot.Office{MapURL: "https://m/x"}}},
				{Answer: bot.Answer{Text: "Trả lời dài hơn."}},
			},
			Lengths{Answers: 3, Median: 33, P90: 42, Max: 42, BodyMedian: 19, FoldedMedian: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MeasureLengths(tt.results); got != tt.want {
				t.Errorf("MeasureLengths = %+v, want %+v", got, tt.want)
			}
		})
	}
}
