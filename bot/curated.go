package bot

import (
	"context"
	"net/url"
	"strings"
	"unicode"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// titleCurated is the citation title of an editor-approved answer.
const titleCurated = "Câu trả lời đã duyệt"

// curatedOverlap is the least share of a message's content words that a
// phrasing must explain (all of the phrasing's words being in the message):
// "lệ phí làm hộ chiếu" matches "cho hỏi lệ phí làm hộ chiếu bao nhiêu ạ",
// not "lệ phí làm hộ chiếu cho người nước ngoài ở Quận 1".
const curatedOverlap = 0.75

// curatedIndex finds the curated answer a message asks, if any.
type curatedIndex struct {
	answers []knowledge.CuratedAnswer
	exact   map[string]int // folded phrasing → answer
	phrases []curatedPhrase
}

type curatedPhrase struct {
	answer int
	words  map[string]bool // content words
}

func newCuratedIndex(cas []knowledge.CuratedAnswer) *curatedIndex {
	ix := &curatedIndex{answers: cas, exact: map[string]int{}}
	for i, ca := range cas {
		if strings.TrimSpace(ca.Answer) == "" {
			continue
		}
		for _, q := range ca.Questions {
			t := nlu.NewText(q)
			if len(t.Tokens) == 0 {
				continue
			}
			if _, ok := ix.exact[t.Folded]; !ok {
				ix.exact[t.Folded] = i
			}
			if w := contentWords(t.Tokens); len(w) >= 2 {
				ix.phrases = append(ix.phrases, curatedPhrase{answer: i, words: w})
			}
		}
	}
	return ix
}

// match returns the curated answer whose phrasing the message is: the same
// folded text, or every content word of a phrasing present and making up
// most of the message's own. The longest phrasing wins.
func (ix *curatedIndex) match(t nlu.Text) (knowledge.CuratedAnswer, bool) {
	if ix == nil || len(ix.answers) == 0 {
		return knowledge.CuratedAnswer{}, false
	}
	if i, ok := ix.exact[t.Folded]; ok {
		return ix.answers[i], true
	}
	msg := contentWords(t.Tokens)
	best, bestN := -1, 0
	for _, p := range ix.phrases {
		if len(p.words) <= bestN || float64(len(p.words)) < curatedOverlap*float64(len(msg)) {
			continue
		}
		all := true
		for w := range p.words {
			all = all && msg[w]
		}
		if all {
			best, bestN = p.answer, len(p.words)
		}
	}
	if best < 0 {
		return knowledge.CuratedAnswer{}, false
	}
	return ix.answers[best], true
}

// questionPhrases are folded question words that carry no content.
var questionPhrases = []string{"nhu the nao", "the nao", "bao nhieu", "bao lau", "bao gio", "o dau", "lam sao", "the sao", "la gi", "nhu nao"}

// fillerWords are folded pronouns and particles that carry no content.
var fillerWords = map[string]bool{
	"toi": true, "em": true, "minh": true, "anh": true, "chi": true, "ban": true, "cho": true, "hoi": true, "muon": true,
	"thi": true, "o": true, "dau": true, "nao": true, "gi": true, "a": true, "vay": true, "nhe": true, "oi": true,
	"la": true, "co": true, "khong": true, "phai": true, "duoc": true, "can": true, "xin": true, "lam": true,
	"giup": true, "vui": true, "long": true, "voi": true, "va": true, "cua": true, "nhi": true, "ha": true, "roi": true,
	"nua": true, "admin": true, "u": true, "ok": true, "nhu": true, "sao": true, "the": true, "ai": true,
	// Words around a question that change nothing of what is asked ("sau
	// khi sáp nhập", "có bắt buộc", "người dân có cần … hay không").
	"sau": true, "khi": true, "hay": true, "nguoi": true, "bat": true, "buoc": true, "nha": true, "ne": true,
}

// contentWords are a message's folded words less question words and fillers.
func contentWords(toks []string) map[string]bool {
	s := " " + strings.Join(toks, " ") + " "
	for _, q := range questionPhrases {
		s = strings.ReplaceAll(s, " "+q+" ", " ")
	}
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		if !fillerWords[w] {
			out[w] = true
		}
	}
	return out
}

// namesOldPlace reports whether a message's place reading found an old (or
// former) unit, with its district: such questions keep the deterministic
// place path, never a curated answer. A reading that found no such unit —
// a name it does not know, one without its district, a district alone —
// may be a curated question's words read as a place ("sáp nhập xã: người
// dân có cần…"): a curated phrasing that explains the message is answered.
func namesOldPlace(r nlu.PlaceReading) bool {
	switch r.Status {
	case nlu.PlaceResolved:
		for _, p := range r.Places {
			if p.Kind != knowledge.PlaceNew {
				return true
			}
		}
		return len(r.Mentions.Districts) > 0
	case nlu.PlaceSplit:
		return true
	}
	return false
}

// textCuratedLowConf ends a curated answer of low confidence.
const textCuratedLowConf = "⚠️ Một phần câu trả lời dựa trên nguồn thứ cấp (trang tư vấn luật, báo); bạn nên hỏi lại cơ quan tiếp nhận."

// answerCurated gives an editor-approved answer, with its procedure and
// unit when it names them, in the usual footer style: its legal basis in
// the sources line, its pages (with their dates) as citations. An answer
// with its own legal basis links its procedure (a button to that
// procedure's answer) without citing it again.
func (t *turn) answerCurated(ca knowledge.CuratedAnswer) Answer {
	a := Answer{Kind: KindAnswer, Curated: ca.ID}
	a.Citations = []Citation{{Title: titleCurated, LegalBasis: ca.LegalBasis, URL: ca.SourceURL}}
	for _, src := range ca.Sources {
		a.Citations = append(a.Citations, Citation{Title: sourceTitle(src), URL: src.URL, Date: src.Date})
	}
	a.Replies = []QuickReply{replyHuman}
	if p, ok := t.s.matters.Procedure(ca.ProcedureID); ok && ca.ProcedureID != "" {
		a.Procedure = &ProcedureRef{ID: p.ID, Name: p.Name}
		t.st.ProcedureID = p.ID
		if ca.LegalBasis == "" {
			a.Citations = append(a.Citations, procCitation(p))
		} else {
			a.Replies = append([]QuickReply{procedureReply(p)}, a.Replies...)
		}
	}
	if ca.UnitCode != "" {
		if u := t.s.places.Unit(ca.UnitCode); u != nil {
			a.Unit = &UnitRef{Code: u.Code, Name: u.Name}
			a.Citations = append(a.Citations, unitCitation(u))
		}
	}
	text := strings.TrimSpace(ca.Answer)
	a.Lead = leadSentences(text, curatedLeadRunes)
	if ca.Confidence == "low" {
		if a.Lead == "" {
			text += "\n" + textCuratedLowConf
		} else { // a warning is never folded away: it follows the lead
			rest := strings.TrimSpace(strings.TrimPrefix(text, a.Lead))
			a.Lead += "\n" + textCuratedLowConf
			text = a.Lead + "\n" + rest
		}
	}
	a.Text = text + t.footer(a.Citations)
	return a
}

// curatedLeadRunes is how much of a curated answer leads: its first
// sentences up to about this many characters (the direct answer, "Không
// bắt buộc. …", and the reason in brief).
const curatedLeadRunes = 140

// leadSentences is the first sentences of text, at least min characters
// of them, when more text follows; "" when text is not much longer.
func leadSentences(text string, min int) string {
	runes := []rune(text)
	for i := 0; i+2 < len(runes); i++ {
		if i < min || runes[i] != '.' && runes[i] != '!' && runes[i] != '?' || runes[i+1] != ' ' && runes[i+1] != '\n' ||
			!unicode.IsUpper(runes[i+2]) || abbreviation(runes[:i]) {
			continue
		}
		if len(runes)-i < min/2 {
			return "" // what follows is short: nothing to fold
		}
		return string(runes[:i+1])
	}
	return ""
}

// abbreviation reports whether the word ending text is an abbreviation a
// full stop follows ("TP.", "Q.", "NĐ."): no sentence ends there.
func abbreviation(text []rune) bool {
	n := 0
	for i := len(text) - 1; i >= 0 && unicode.IsLetter(text[i]); i-- {
		n++
	}
	return n > 0 && n <= 2
}

// sourceTitle names a cited page: its title, or its site.
func sourceTitle(s knowledge.Source) string {
	if s.Title != "" {
		return s.Title
	}
	if u, err := url.Parse(s.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.")
	}
	return s.URL
}

// procedureReply offers a procedure's own answer: tapping it asks about
// the procedure by its name.
func procedureReply(p knowledge.Procedure) QuickReply {
	label := "Thủ tục: " + p.Name
	if r := []rune(label); len(r) > 40 {
		label = string(r[:39]) + "…"
	}
	return QuickReply{Label: label, Payload: p.Name}
}

// CuratedSearch is what a ProcedureIndex may also offer (hybrid search):
// curated answers found by the meaning of their phrasings. Only hits found
// by meaning come back, with their similarity (0–1).
type CuratedSearch interface {
	SearchCurated(ctx context.Context, query string, limit int) ([]SearchHit, error)
}

// curatedMeaningThreshold is the least similarity at which a curated
// answer is given for a message none of its phrasings' words explain: a
// near-paraphrase (cosine ≈ 0.84), not a neighbouring question.
const curatedMeaningThreshold = 0.92

// curatedByMeaning asks the index for a curated answer that means what the
// message says. It is asked only when the engine found neither a matter
// nor a place; a close second (a coin toss) gives nothing.
func (t *turn) curatedByMeaning(text nlu.Text) (knowledge.CuratedAnswer, bool) {
	cs, ok := t.e.index.(CuratedSearch)
	if !ok || len(t.s.kb.Curated) == 0 || len(contentWords(text.Tokens)) < 2 {
		return knowledge.CuratedAnswer{}, false
	}
	hits, err := cs.SearchCurated(t.ctx, text.Raw, 2)
	if err != nil || len(hits) == 0 || hits[0].Score < curatedMeaningThreshold {
		return knowledge.CuratedAnswer{}, false
	}
	if len(hits) > 1 && hits[0].Score-hits[1].Score < 0.01 {
		return knowledge.CuratedAnswer{}, false
	}
	for _, ca := range t.s.kb.Curated {
		if ca.ID == hits[0].ID && strings.TrimSpace(ca.Answer) != "" {
			return ca, true
		}
	}
	return knowledge.CuratedAnswer{}, false
}
