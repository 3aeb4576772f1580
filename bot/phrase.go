package bot

import "strings"

// phrase lets the Assistant rewrite an answer's body from its records
// (LLM_MODE=full). The footer — sources and the as-of date — is cut off
// before and attached again after, by this code; citations and every
// structured field stay the engine's. Any error keeps the template text.
func (t *turn) phrase(a Answer, question string) Answer {
	if t.e.assist == nil || !t.e.phrasing || a.Kind != KindAnswer || a.Degraded || a.Curated != "" || (a.Procedure == nil && a.Unit == nil) {
		return a
	}
	footer := t.footer(a.Citations)
	body, ok := strings.CutSuffix(a.Text, footer)
	if !ok {
		return a
	}
	rec := Records{Office: a.Office, Citations: a.Citations, Body: body, Question: question}
	if a.Procedure != nil {
		if p, ok := t.s.matters.Procedure(a.Procedure.ID); ok {
			rec.Procedure = &p
		}
	}
	if a.Unit != nil {
		if u := t.s.places.Unit(a.Unit.Code); u != nil {
			uc := *u
			rec.Unit = &uc
		}
	}
	text, err := t.e.assist.Phrase(t.ctx, a, rec)
	if err != nil || strings.TrimSpace(text) == "" {
		t.e.logger.DebugContext(t.ctx, "phrasing not used", "err", err)
		return a
	}
	a.Text = strings.TrimSpace(text) + footer
	return a
}
