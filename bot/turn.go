package bot

import (
	"context"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// A procedure is the matter of a message when its blended score (see
// nlu.Matters.Rank) reaches matterSure and leads the next one by
// matterMargin; from matterClose up the bot asks "did you mean" with the
// two best, never answers with them. Tuned on eval/own-matter-tune.jsonl.
const (
	matterSure   = 0.30
	matterMargin = 0.05
	matterClose  = 0.22
)

// turn is the work of answering one message.
type turn struct {
	e        *Engine
	s        *snapshot
	st       *State
	ctx      context.Context
	degraded bool
	// suggestions are the procedures the message may be about (best
	// first, at most two), too unsure to answer.
	suggestions []knowledge.Procedure
	// curated is the curated answer the matter reader is sure the message
	// asks (its phrasings are examples like a procedure's).
	curated *knowledge.CuratedAnswer
	// local and hits are the matcher's and the index's procedures for the
	// message: the candidates offered to the Assistant.
	local []nlu.Match
	hits  []SearchHit
	// assisted: the Assistant's reading was used for this message.
	assisted bool
	// desk: the previous answer asked for a pin to find the nearest
	// service desks (State.Desk).
	desk bool
	// asked are the details of a matter the message asks about: a
	// procedure's answer puts them in its head.
	asked map[nlu.Detail]bool
}

func (t *turn) respond(msg Message) Answer {
	if msg.Location != nil {
		return t.pin(*msg.Location)
	}
	if strings.TrimSpace(msg.Text) == PayloadLocation {
		return askPin(t.st)
	}
	text := nlu.NewText(msg.Text)
	if len(text.Tokens) == 0 {
		return notUnderstood(t.st)
	}
	t.asked = nlu.AskedDetails(text)
	intent := nlu.ReadIntent(text)
	if intent == nlu.IntentHuman || intent == nlu.IntentComplaint {
		return t.handoff(intent)
	}
	expect := t.st.Asks == AskPlace || t.st.Asks == AskDistrict
	place := t.s.reader.Read(text, nlu.PlaceContext{Pending: t.st.PendingName, ExpectPlace: expect, District: t.st.District})
	if place.District != "" {
		t.st.District = place.District
	}
	if len(t.st.Candidates) > 0 {
		place = t.chooseCandidate(place)
		if t.st.Asks == AskStreet && place.Status != nlu.PlaceResolved && !place.Mentions.Marked() {
			// The bot asked for a street: "12 Nguyễn Huệ" is that street,
			// not an old commune somewhere named like a person.
			place = nlu.PlaceReading{Mentions: place.Mentions}
		}
	}
	if !namesOldPlace(place) {
		// An editor's approved answer comes before the matcher and search.
		if ca, ok := t.s.curated.match(text); ok {
			return t.answerCurated(ca)
		}
	}
	proc, hasProc := t.matter(text, place.Mentions.Used)
	// "trung tâm hành chính công gần nhất ở đâu" (a matter asked with it
	// stays the matter's question: its answer names the desk).
	desk := deskQuestion(text) && (!hasProc || deskOnly(text, place.Mentions.Used))
	if t.curated != nil && !desk && place.Status == nlu.PlaceNone && (intent == nlu.IntentNone || intent == nlu.IntentWhichUnit && !nlu.AsksUnit(text)) {
		// A general question ("sáp nhập rồi có phải đổi căn cước không"):
		// one that names a place, asks which unit or where the desk is
		// keeps its own path.
		return t.answerCurated(*t.curated)
	}
	if desk && place.Status != nlu.PlaceResolved && place.Status != nlu.PlaceSplit && place.Status != nlu.PlaceAmbiguous {
		// No ward read ("ủy ban nhân dân phường" is not Đan Phượng); a
		// ward name found in several districts is asked about below.
		return t.withDegraded(t.deskWithoutPlace())
	}
	hasProc = hasProc && !desk // with a place: that place's desk
	if !hasProc && place.Status == nlu.PlaceNone && intent == nlu.IntentNone {
		// Neither a matter nor a place: an approved answer may still mean it.
		if ca, ok := t.curatedByMeaning(text); ok {
			return t.answerCurated(ca)
		}
	}
	if r := (reading{place: place, proc: proc, hasProc: hasProc, intent: intent}); t.unsure(r) {
		r = t.assist(text, r)
		place, proc, hasProc, intent = r.place, r.proc, r.hasProc, r.intent
		if intent == nlu.IntentHuman {
			return t.handoff(intent)
		}
	}
	if hasProc {
		t.st.ProcedureID = proc.ID
	}
	if place.Street != "" {
		t.st.Street = cleanStreet(place.Street)
	}
	switch place.Status {
	case nlu.PlaceResolved:
		t.st.PendingName = ""
		t.st.Candidates = nil
		tg := place.Targets[0]
		t.st.Unit = &UnitRef{Code: tg.Code, Name: tg.Name}
		t.st.OldPlace = placeLabel(place)
		return t.withDegraded(t.withSuggestions(t.answerPlace(place)))
	case nlu.PlaceSplit:
		t.st.PendingName = ""
		t.st.Unit = nil
		t.st.Candidates = unitRefs(place.Targets)
		t.st.OldPlace = placeLabel(place)
		return t.withDegraded(t.askStreet(place))
	case nlu.PlaceAmbiguous:
		t.st.PendingName = place.Name
		return t.withDegraded(askDistrict(place))
	case nlu.PlaceUnknown:
		return t.withDegraded(unknownPlace(place))
	case nlu.PlaceDistrict:
		if !hasProc {
			return t.withDegraded(t.askWard(place))
		}
	}
	if hasProc {
		return t.withDegraded(t.answerMatter(proc))
	}
	if len(t.st.Candidates) > 0 && t.st.Asks == AskStreet {
		// The citizen answered "which street?": keep it for staff, ask for a pin.
		t.st.Street = cleanStreet(msg.Text)
		return t.withDegraded(t.streetNoted())
	}
	if t.st.ProcedureID != "" && nlu.AsksDetail(text) && !t.mayBeOther(t.st.ProcedureID) {
		// A follow-up on the matter under discussion ("phải mang gì?",
		// "lệ phí bao nhiêu?"): the matter's answer has every detail. A
		// message that may be about another matter ("hai đứa muốn cưới
		// thì làm giấy ở đâu") is not one.
		if proc, ok := t.s.matters.Procedure(t.st.ProcedureID); ok {
			return t.withDegraded(t.answerMatter(proc))
		}
	}
	switch intent {
	case nlu.IntentWhichUnit:
		return askOldPlace()
	case nlu.IntentGreeting:
		return greeting()
	case nlu.IntentThanks:
		return thanks()
	case nlu.IntentHelp:
		return help()
	}
	if len(t.suggestions) > 0 {
		return t.withDegraded(didYouMean(t.st, t.suggestions))
	}
	return t.withDegraded(outOfScope(t.st))
}

// withSuggestions adds to a place's answer the matters the message may
// also be about, as buttons: a place and a matter in one message are both
// kept, even when the matter is unsure.
func (t *turn) withSuggestions(a Answer) Answer {
	if a.Procedure != nil || len(t.suggestions) == 0 {
		return a
	}
	s := didYouMean(t.st, t.suggestions)
	a.Text += "\n\n" + suggestText(t.suggestions)
	a.Lead = "" // the question at the end is not to be folded away
	a.Replies = append(s.Replies[:len(t.suggestions)], a.Replies...)
	return a
}

func (t *turn) withDegraded(a Answer) Answer {
	if t.degraded {
		a.Degraded = true
		a.Text += "\n\n" + textDegraded
	}
	return a
}

// chooseCandidate reads a new unit named while the candidates of a split
// ward are pending ("Tôi ở Phường Tân Định (mới)", a tapped quick reply) as
// the citizen's own choice among them, even where the name alone would be
// ambiguous with old wards.
func (t *turn) chooseCandidate(r nlu.PlaceReading) nlu.PlaceReading {
	for _, w := range r.Mentions.Wards {
		for _, pl := range w.Wards {
			if pl.Kind != knowledge.PlaceNew {
				continue
			}
			for _, c := range t.st.Candidates {
				if c.Code == pl.New.Code {
					r.Status, r.Places = nlu.PlaceResolved, []knowledge.Place{pl}
					r.Targets = pl.Targets()
					return r
				}
			}
		}
	}
	return r
}

// searchThreshold is the lowest Meilisearch ranking score at which the
// index's top procedure is taken when the engine's own matcher found none.
const searchThreshold = 0.9

// matter finds the procedure a message is about, if any. The engine's own
// readers decide first (the whole message, then each sentence of a long
// one); the search index is asked only when they found nothing close, for
// what it does better: misspelt words.
func (t *turn) matter(text nlu.Text, used []bool) (knowledge.Procedure, bool) {
	q := t.s.matters.Query(text, used)
	if len(q.Words) == 0 {
		return knowledge.Procedure{}, false
	}
	ranked := t.s.matters.Rank(q)
	t.local = ranked
	if sure(ranked) {
		return t.take(preferProcedure(ranked))
	}
	if sentences, sUsed := text.Sentences(used); len(sentences) > 1 {
		var best []nlu.Match
		for i, s := range sentences {
			if r := t.s.matters.Rank(t.s.matters.Query(s, sUsed[i])); sure(r) && (best == nil || r[0].Score > best[0].Score) {
				best = r
			}
		}
		if best != nil {
			return t.take(best[0])
		}
	}
	for i, m := range ranked {
		if i == 2 || m.Score < matterClose {
			break
		}
		if p, ok := t.s.matters.Procedure(m.ID); ok {
			t.suggestions = append(t.suggestions, p)
		}
	}
	if len(t.suggestions) > 0 {
		return knowledge.Procedure{}, false
	}
	content := nlu.Content(q)
	if t.e.index == nil || len(content) < 2 {
		return knowledge.Procedure{}, false
	}
	hits, err := t.e.index.SearchProcedures(t.ctx, strings.Join(content, " "), 3)
	if err != nil {
		t.degraded = true
		t.e.logger.WarnContext(t.ctx, "procedure search unavailable", "err", err)
		return knowledge.Procedure{}, false
	}
	t.degraded = false // this very search worked
	t.hits = hits
	if len(hits) == 0 || hits[0].Score < searchThreshold {
		return knowledge.Procedure{}, false
	}
	// The index often ranks several procedures alike ("khai sinh" in five
	// of them): take its top only when it stands alone, never a coin toss.
	if len(hits) > 1 && hits[0].Score-hits[1].Score < 0.01 {
		return knowledge.Procedure{}, false
	}
	return t.s.matters.Procedure(hits[0].ID)
}

// pin answers a shared location.
func (t *turn) pin(loc Location) Answer {
	if t.e.locator == nil || !loc.Valid() {
		return outOfScope(t.st)
	}
	p := t.e.locator.Locate(loc.Lat, loc.Lon)
	if !p.InsideHCMC || p.Code == "" {
		return pinOutside()
	}
	u := t.s.places.Unit(p.Code)
	if u == nil {
		return pinOutside()
	}
	wasCandidate := len(t.st.Candidates) == 0
	for _, c := range t.st.Candidates {
		wasCandidate = wasCandidate || c.Code == u.Code
	}
	t.st.Unit = &UnitRef{Code: u.Code, Name: u.Name}
	t.st.Candidates = nil
	t.st.PendingName = ""
	if t.desk {
		return t.withDegraded(t.nearestDesks(loc, u))
	}
	var near []UnitRef
	for _, code := range p.Near {
		if n := t.s.places.Unit(code); n != nil {
			near = append(near, UnitRef{Code: n.Code, Name: n.Name})
		}
	}
	return t.withDegraded(t.answerPin(u, near, wasCandidate))
}

// maxStreetRunes bounds the street kept and echoed back.
const maxStreetRunes = 120

// cleanStreet keeps what a citizen typed as their street fit to echo back
// in any channel: no markup characters, one line, bounded length.
func cleanStreet(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '<', '>', '\n', '\r', '\t':
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxStreetRunes {
		s = string(r[:maxStreetRunes]) + "…"
	}
	return s
}

// take makes a sure match the message's matter: a procedure, or a curated
// answer (kept in t.curated for the caller to answer with).
func (t *turn) take(m nlu.Match) (knowledge.Procedure, bool) {
	if id, ok := strings.CutPrefix(m.ID, nlu.CuratedPrefix); ok {
		for _, ca := range t.s.kb.Curated {
			if ca.ID == id {
				t.curated = &ca
				break
			}
		}
		return knowledge.Procedure{}, false
	}
	return t.s.matters.Procedure(m.ID)
}

// mayBeOther reports whether the message may be about a matter other than
// id: one the readers offer as close.
func (t *turn) mayBeOther(id string) bool {
	for _, p := range t.suggestions {
		if p.ID != id {
			return true
		}
	}
	return false
}

// curatedLead is how far a curated answer must lead the best procedure to
// be taken over it: its phrasings name papers ("hộ chiếu") that are also
// procedures, so "làm hộ chiếu cho con" stays the procedure's question.
const curatedLead = 0.1

// preferProcedure returns the best of a sure ranking, or the best
// procedure when a curated answer leads it by less than curatedLead.
func preferProcedure(r []nlu.Match) nlu.Match {
	if !strings.HasPrefix(r[0].ID, nlu.CuratedPrefix) {
		return r[0]
	}
	for _, m := range r[1:] {
		if !strings.HasPrefix(m.ID, nlu.CuratedPrefix) {
			if r[0].Score-m.Score < curatedLead && m.Score >= matterSure {
				return m
			}
			break
		}
	}
	return r[0]
}

// sure reports whether the best of a ranking is the matter: high enough
// and clear of the next.
func sure(r []nlu.Match) bool {
	if len(r) == 0 || r[0].Score < matterSure {
		return false
	}
	return len(r) == 1 || r[0].Score-r[1].Score >= matterMargin
}

func unitRefs(ts []knowledge.Target) []UnitRef {
	out := make([]UnitRef, 0, len(ts))
	for _, t := range ts {
		out = append(out, UnitRef{Code: t.Code, Name: t.Name})
	}
	return out
}
