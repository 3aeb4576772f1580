package nlu

import (
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// spelling is how the diacritics a citizen typed compare with a name's.
type spelling int

const (
	spellNeutral  spelling = iota // typed without diacritics, or only some of them
	spellAgree                    // every accented word typed as the name writes it
	spellConflict                 // a word typed with other diacritics ("đình" for "Định")
	// spellUnlike: a word typed plain in a message typed with care, where
	// the name has marks ("nga thanh … huyện nga sơn" for Nga Thạnh): a
	// reason to prefer another reading, never to reject the name.
	spellUnlike
)

// nameMarks returns the marks of each word of an official name's short
// form, computed once per name.
func (r *PlaceReader) nameMarks(name string) []string {
	if v, ok := r.spellings.Load(name); ok {
		return v.([]string)
	}
	nt := NewText(names.Short(name))
	out := make([]string, len(nt.Words))
	for i, w := range nt.Words {
		out[i] = w.Marks
	}
	r.spellings.Store(name, out)
	return out
}

// spellAgainst compares the typed words from..to with an official name.
func (r *PlaceReader) spellAgainst(t Text, from, to int, name string) spelling {
	nm := r.nameMarks(name)
	if len(nm) != to-from {
		return spellNeutral // an alias or a name typed without spaces
	}
	agree := 0
	careful := typedMarks(t, from, to) // the citizen typed diacritics in this name
	unlike := false
	for j := from; j < to; j++ {
		typed, want := t.Words[j].Marks, nm[j-from]
		switch {
		case typed == "" && want != "" && want != "đ" && careful:
			return spellConflict // "hoằng thanh" is Hoằng Thanh, not Hoằng Thành
		case typed == "" && want != "" && want != "đ" && t.Careful:
			unlike = true
		case typed == "":
		case typed == want:
			agree++
		case typed == "đ" && strings.HasPrefix(want, "đ"):
			// only the đ typed ("Tan Đinh" for "Tân Định"): no evidence
		default:
			return spellConflict
		}
	}
	switch {
	case unlike:
		return spellUnlike
	case agree > 0:
		return spellAgree
	}
	return spellNeutral
}

// typedMarks reports whether any word from..to was typed with diacritics.
func typedMarks(t Text, from, to int) bool {
	for j := from; j < to && j < len(t.Words); j++ {
		if t.Words[j].Marks != "" {
			return true
		}
	}
	return false
}

// spell compares the typed words with every reading of a candidate and
// keeps only the readings whose spelling does not conflict (all of them
// when every one does). It returns the best agreement.
func (r *PlaceReader) spell(t Text, from, to int, c *candidate) spelling {
	if !typedMarks(t, from, to) && !t.Careful {
		return spellNeutral
	}
	best := spellConflict
	note := func(s spelling) {
		if s == spellUnlike {
			s = spellNeutral
		}
		if best == spellConflict || s == spellAgree {
			best = s
		}
	}
	c.Wards = keepSpelled(c.Wards, func(p knowledge.Place) spelling { return r.spellAgainst(t, from, to, p.Name()) }, note)
	c.Districts = keepSpelled(c.Districts, func(d knowledge.District) spelling { return r.spellAgainst(t, from, to, d.Name) }, note)
	c.Provinces = keepSpelled(c.Provinces, func(p knowledge.Province) spelling { return r.spellAgainst(t, from, to, p.Name) }, note)
	return best
}

// keepSpelled drops the readings spelled unlike what was typed, unless
// every reading is; then the readings merely unlike it, unless every
// remaining one is.
func keepSpelled[T any](xs []T, spellOf func(T) spelling, note func(spelling)) []T {
	if len(xs) == 0 {
		return xs
	}
	spells := make([]spelling, len(xs))
	for i, x := range xs {
		spells[i] = spellOf(x)
		note(spells[i])
	}
	for _, drop := range []spelling{spellConflict, spellUnlike} {
		n := 0
		for _, sp := range spells {
			if sp == drop {
				n++
			}
		}
		if n == 0 || n == len(xs) { // nothing to drop, or nothing would be left
			continue
		}
		kept := make([]T, 0, len(xs)-n)
		keptSpells := make([]spelling, 0, len(xs)-n)
		for i, x := range xs {
			if spells[i] != drop {
				kept, keptSpells = append(kept, x), append(keptSpells, spells[i])
			}
		}
		xs, spells = kept, keptSpells
	}
	return xs
}

// containsAny reports whether s contains any of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// OrdinaryText is the KB's own prose: procedure names, aliases, documents,
// authorities, fees and times, curated questions and answers, synonyms.
// A place name used in it in lower case is an ordinary phrase.
func OrdinaryText(kb *knowledge.KB) []string {
	var out []string
	for _, p := range kb.Procedures {
		out = append(out, p.Name, p.Authority, p.JurisdictionBasis, p.ProcessingTime, p.Fee)
		out = append(out, p.Aliases...)
		out = append(out, p.Documents...)
	}
	for _, c := range kb.Curated {
		out = append(out, c.Answer)
		out = append(out, c.Questions...)
	}
	for _, s := range kb.Synonyms {
		out = append(out, s.Phrase, s.Means)
	}
	return out
}
