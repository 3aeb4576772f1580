package eval

import (
	"encoding/json"
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
