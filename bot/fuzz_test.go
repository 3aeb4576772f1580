package bot

import (
	"context"
	"math"
	"testing"
)

// FuzzRespond feeds any text, any pin and any remembered state to the
// engine: it must answer (never panic) with a known kind.
func FuzzRespond(f *testing.F) {
	for _, s := range []string{"Phường Đa Kao, Quận 1", "phường 1", "p15 q4", "\xff\xfe\x00", "😀", "<script>alert(1)</script>",
		"#vitri", "cho tôi gặp cán bộ", "quận quận quận", "290A/47 Dương Bá Trạc, P1, Q8", "tp tp tp"} {
		f.Add(s, 10.77, 106.70, "phường 1", "street")
	}
	f.Add("", math.NaN(), math.Inf(1), "", "")
	s := newTestService(f)
	f.Fuzz(func(t *testing.T, text string, lat, lon float64, pending, asks string) {
		st := State{PendingName: pending, Asks: asks, Candidates: []UnitRef{{Code: "26740", Name: "Phường Sài Gòn"}}}
		msg := Message{Text: text}
		if len(text)%2 == 0 {
			msg.Location = &Location{Lat: lat, Lon: lon}
		}
		a := s.engine.Respond(context.Background(), &st, msg)
		switch a.Kind {
		case KindAnswer, KindClarify, KindHandoff, KindFallback:
		default:
			t.Fatalf("unknown kind %q", a.Kind)
		}
		if a.Text == "" {
			t.Fatal("empty answer text")
		}
	})
}
