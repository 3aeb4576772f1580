package bot

import (
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// maxCandidates bounds the procedures offered to the model.
const maxCandidates = 8

// reading is the engine's own understanding of a message, which the
// Assistant may complete (never overrule).
type reading struct {
	place   nlu.PlaceReading
	proc    knowledge.Procedure
	hasProc bool
	intent  nlu.Intent
}

// unsure reports whether the engine's own reading would end without a
// confident answer: a place name it could not find, a matter it only
// suspects, or nothing it understood at all. Only then is the Assistant
// asked; confident answers never wait for it.
func (t *turn) unsure(r reading) bool {
	if t.e.assist == nil {
		return false
	}
	if r.place.Status == nlu.PlaceUnknown {
		return true
	}
	if r.hasProc {
		return false
	}
	if len(t.suggestions) > 0 {
		return true
	}
	if len(t.st.Candidates) > 0 && t.st.Asks == AskStreet {
		return false // a street given for a split ward
	}
	return r.place.Status == nlu.PlaceNone && r.intent == nlu.IntentNone
}

// assist asks the Assistant for a reading and merges it into the engine's:
// the knowledge base wins any conflict. A procedure counts only when it is
// one of the candidates offered and in the KB; a place only when the
// engine's own place reader finds it in words the citizen wrote; an intent
// only when the engine found none. Any error leaves the reading as it was.
func (t *turn) assist(text nlu.Text, r reading) reading {
	cands := t.candidates()
	got, err := t.e.assist.Understand(t.ctx, text.Raw, cands)
	if err != nil {
		t.e.logger.DebugContext(t.ctx, "assistant unavailable", "err", err)
		return r
	}
	t.assisted = true
	if !r.hasProc && got.ProcedureID != "" && slices.ContainsFunc(cands, func(c Candidate) bool { return c.ID == got.ProcedureID }) {
		if p, ok := t.s.matters.Procedure(got.ProcedureID); ok {
			r.proc, r.hasProc, t.suggestions = p, true, nil
		}
	}
	if r.place.Status == nlu.PlaceNone || r.place.Status == nlu.PlaceUnknown {
		for _, m := range got.PlaceMentions {
			if !grounded(m, text) {
				continue
			}
			pr := t.s.reader.Read(nlu.NewText(m), nlu.PlaceContext{ExpectPlace: true})
			switch pr.Status {
			case nlu.PlaceResolved, nlu.PlaceSplit, nlu.PlaceAmbiguous, nlu.PlaceDistrict:
				r.place = pr
			}
			if r.place.Status != nlu.PlaceNone && r.place.Status != nlu.PlaceUnknown {
				break
			}
		}
	}
	if r.intent == nlu.IntentNone && !r.hasProc && r.place.Status == nlu.PlaceNone {
		switch got.Intent {
		case ReadIntentWhichUnit:
			r.intent = nlu.IntentWhichUnit
		case ReadIntentGreeting:
			r.intent = nlu.IntentGreeting
		case ReadIntentThanks:
			r.intent = nlu.IntentThanks
		case ReadIntentHelp:
			r.intent = nlu.IntentHelp
		case ReadIntentHuman:
			r.intent = nlu.IntentHuman
		}
	}
	return r
}

// candidates are the procedures the message may be about: the engine's
// matcher's best (however low), then the search index's.
func (t *turn) candidates() []Candidate {
	var out []Candidate
	add := func(id string) {
		if len(out) == maxCandidates || slices.ContainsFunc(out, func(c Candidate) bool { return c.ID == id }) {
			return
		}
		if p, ok := t.s.matters.Procedure(id); ok {
			out = append(out, Candidate{ID: p.ID, Name: p.Name})
		}
	}
	for i, m := range t.local {
		if i == 5 {
			break
		}
		add(m.ID)
	}
	for _, h := range t.hits {
		add(h.ID)
	}
	return out
}

// placeMarkers are type words the model may add to a place the citizen
// named without them ("Đa Kao" → "Phường Đa Kao").
var placeMarkers = map[string]bool{"phuong": true, "xa": true, "quan": true, "huyen": true, "thi": true, "tran": true,
	"thanh": true, "pho": true, "tp": true, "tinh": true, "p": true, "q": true, "cu": true, "moi": true, "dac": true, "khu": true}

// grounded reports whether a place mention from the model is made of the
// citizen's own words (type words aside): the model may point at a place
// in the message, never bring one in.
func grounded(mention string, text nlu.Text) bool {
	said := map[string]bool{}
	for _, tok := range text.Tokens {
		said[tok] = true
	}
	words := 0
	for _, w := range strings.Fields(names.Fold(mention)) {
		if placeMarkers[w] {
			continue
		}
		if !said[w] {
			return false
		}
		words++
	}
	return words > 0
}
