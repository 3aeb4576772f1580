package nlu

import (
	"iter"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// Matters scores how well a message names each procedure of the KB, over
// the procedures' names and aliases, with words weighted by how rare they
// are among procedures. It ranks Meilisearch's candidates and is the whole
// matcher when the search index is down. Words are interned as integers
// and looked up through an inverted index, so a question costs microseconds.
type Matters struct {
	procs    []knowledge.Procedure
	phrases  [][]phrase // per procedure
	vocab    map[string]int32
	idf      []float64 // per word id
	unknown  float64   // weight of a word no procedure uses
	postings [][]int32 // word id → procedures using it
	byID     map[string]int
	syn      []synonym
	examples *exampleIndex
	// curated are the ids of the curated answers the example classifier
	// also knows, as classes after the procedures.
	curated []string
	refines []refinement
	// families maps each procedure of a refinement, base and narrower
	// ones, to its family.
	families map[string]family
	// ofDeath are the procedures that follow a death (khai tử, mai táng):
	// named in a question that says no death, they weigh half.
	ofDeath map[string]bool
}

// family is a base procedure's id and its name's words (folded, no stop
// words), shared by the procedures that refine it.
type family struct {
	base  string
	words []string
}

// refinement is a procedure whose name is another's and more words:
// "Đăng ký khai sinh" → "Đăng ký khai sinh có yếu tố nước ngoài". A
// question that says most of the more words is about the narrower one,
// however much better the wider name alone matched.
// refineShare is how much of a narrower name's further words, by weight,
// a question must say for the narrower procedure to take its base's place
// ("nước ngoài" is 60 % of "có yếu tố nước ngoài").
const refineShare = 0.55

type refinement struct {
	base, narrow string   // procedure ids
	extra        []string // the narrower name's further content words (folded)
}

// CuratedPrefix marks a match that is a curated answer ("curated:<id>"),
// not a procedure.
const CuratedPrefix = "curated:"

// phrase is a name or alias: its content words (no stop words, no
// repeats), their total weight and its word pairs.
type phrase struct {
	words   []int32
	marks   []string // the diacritics each word is written with ("" when without)
	total   float64
	bigrams []uint64
	weight  float64
}

type synonym struct {
	from []string
	to   []string
}

// Match is one procedure with its score (0..~1.2).
type Match struct {
	ID    string
	Score float64
}

// stopWords are question words that carry no matter ("cho hỏi … thì làm ở đâu").
var stopWords = map[string]bool{
	"toi": true, "em": true, "minh": true, "anh": true, "chi": true, "cho": true, "hoi": true, "muon": true,
	"thi": true, "o": true, "dau": true, "nao": true, "gi": true, "can": true, "nhung": true,
	"the": true, "a": true, "vay": true, "nhe": true, "oi": true, "la": true, "co": true, "khong": true,
	"phai": true, "duoc": true, "nop": true, "den": true, "di": true, "ve": true, "viec": true, "thu": true, "tuc": true,
	"giay": true, "to": true, "lau": true, "nhieu": true, "tien": true, "phi": true,
	"xin": true, "lam": true, "tai": true, "de": true, "cua": true, "va": true, "voi": true, "nhu": true, "tren": true, "ra": true,
	"giup": true, "ak": true, "ah": true, "u": true, "vui": true, "long": true, "huong": true, "dan": true,
	"nay": true, "gio": true, "moi": true, "cu": true, "sau": true, "sap": true, "nhap": true, "thuoc": true, "vao": true,
	"phuong": true, "huyen": true, // "phường mới là phường nào" asks for a place, not a procedure
	"hong": true, "hok": true, "alo": true, "hello": true, // southern "không" (sổ hồng is read by its synonym first)
}

// NewMatters indexes the procedures. synonyms maps folded everyday words to
// folded words of the procedures' vocabulary ("so hong" → "so do"). places,
// when not nil, strips the places out of the example questions, as it does
// out of the citizen's.
func NewMatters(procs []knowledge.Procedure, synonyms map[string]string, places *PlaceReader, curated ...knowledge.CuratedAnswer) *Matters {
	m := &Matters{procs: procs, vocab: map[string]int32{}, byID: map[string]int{}}
	intern := func(t string) int32 {
		id, ok := m.vocab[t]
		if !ok {
			id = int32(len(m.vocab))
			m.vocab[t] = id
			m.postings = append(m.postings, nil)
		}
		return id
	}
	var df []int
	for i, p := range procs {
		m.byID[p.ID] = i
		var ps []phrase
		seen := map[string]int{} // folded phrase → index in ps
		for j, text := range append([]string{p.Name}, p.Aliases...) {
			tx := NewText(text)
			keep := questionPairsKept(tx.Tokens)
			toks := make([]string, len(keep))
			marks := make([]string, len(keep))
			for k, at := range keep {
				toks[k], marks[k] = tx.Tokens[at], tx.Words[at].Marks
			}
			ph := phrase{weight: 1}
			if j == 0 {
				ph.weight = 0.95 // official names are long and formal; aliases are how people say it
			}
			for k, t := range toks {
				id := intern(t)
				if k > 0 {
					ph.bigrams = append(ph.bigrams, pair(m.vocab[toks[k-1]], id))
				}
				if stopWords[t] || slices.Contains(ph.words, id) {
					continue
				}
				ph.words, ph.marks = append(ph.words, id), append(ph.marks, marks[k])
				for int(id) >= len(df) {
					df = append(df, 0)
				}
				if l := m.postings[id]; len(l) == 0 || l[len(l)-1] != int32(i) {
					m.postings[id] = append(l, int32(i))
					df[id]++
				}
			}
			if len(ph.words) == 0 {
				continue
			}
			// "đăng ký khai sinh" and "dang ky khai sinh" are one phrase,
			// written with its diacritics.
			key := strings.Join(toks, " ")
			if at, ok := seen[key]; ok {
				if strings.Join(ps[at].marks, "") == "" {
					ps[at].marks = ph.marks
				}
				ps[at].weight = max(ps[at].weight, ph.weight)
				continue
			}
			seen[key] = len(ps)
			ps = append(ps, ph)
		}
		m.phrases = append(m.phrases, ps)
	}
	n := float64(len(procs))
	m.idf = make([]float64, len(m.vocab))
	for id := range m.idf {
		if id < len(df) && df[id] > 0 {
			m.idf[id] = math.Log(1 + n/float64(df[id]))
		}
	}
	m.unknown = math.Log(1 + n)
	for i := range m.phrases {
		for j := range m.phrases[i] {
			ph := &m.phrases[i][j]
			for _, w := range ph.words {
				ph.total += m.idf[w]
			}
		}
	}
	for from, to := range synonyms {
		m.syn = append(m.syn, synonym{strings.Fields(from), strings.Fields(to)})
	}
	sort.Slice(m.syn, func(i, j int) bool { return len(m.syn[i].from) > len(m.syn[j].from) })
	phrasings := make([][]Query, 0, len(procs)+len(curated))
	read := func(texts []string) []Query {
		var out []Query
		for _, text := range texts {
			t := NewText(text)
			var used []bool
			if places != nil {
				used = places.FindPlaces(t, false).Used
			}
			out = append(out, m.Query(t, used))
		}
		return out
	}
	for _, p := range procs {
		phrasings = append(phrasings, read(append(append([]string{p.Name}, p.Aliases...), p.Examples...)))
	}
	// A curated answer's phrasings make it a class of its own: "có phải
	// đổi căn cước không" is its answer's question, not the procedure's.
	for _, c := range curated {
		if strings.TrimSpace(c.Answer) != "" {
			m.curated = append(m.curated, c.ID)
			phrasings = append(phrasings, read(c.Questions))
		}
	}
	m.examples = newExampleIndex(phrasings)
	m.refines = refinements(procs)
	m.families = families(procs, m.refines)
	m.ofDeath = map[string]bool{}
	for _, p := range procs {
		for range phraseHits(NewText(p.Name).Tokens, afterDeath) {
			m.ofDeath[p.ID] = true
		}
	}
	return m
}

// refinements finds the procedures whose name starts with another's. The
// further words stop at a parenthesis (an explanation, not the name), and
// leave out the words the base's own names use ("con" of "làm khai sinh
// cho con" says nothing of "… nhận cha, mẹ, con").
func refinements(procs []knowledge.Procedure) []refinement {
	names := make([][]string, len(procs)) // each name's words, up to a parenthesis
	for i, p := range procs {
		names[i] = NewText(strings.SplitN(p.Name, "(", 2)[0]).Tokens
	}
	var out []refinement
	for i, base := range procs {
		bt := names[i]
		var own map[string]bool // the base's names' words, read when needed
		for j, narrow := range procs {
			nt := names[j]
			if i == j || len(bt) == 0 || len(nt) <= len(bt) || !slices.Equal(nt[:len(bt)], bt) {
				continue
			}
			if own == nil {
				own = map[string]bool{}
				for _, a := range append([]string{base.Name}, base.Aliases...) {
					for _, w := range NewText(a).Tokens {
						own[w] = true
					}
				}
			}
			r := refinement{base: base.ID, narrow: narrow.ID}
			for _, w := range nt[len(bt):] {
				if !stopWords[w] && !own[w] && !slices.Contains(r.extra, w) {
					r.extra = append(r.extra, w)
				}
			}
			if len(r.extra) > 0 {
				out = append(out, r)
			}
		}
	}
	return out
}

// refine weighs a narrower procedure against its base in ranked by the
// narrower name's further words. When the question says refineShare of
// them, by weight, the narrower one takes the base's place with the
// better of the two scores and the base leaves the ranking: "chồng em
// người Hàn … làm khai sinh" is a birth with a foreign element. When it
// says none of them and the narrower one leads, the base ties it (see
// below).
func (m *Matters) refine(q Query, ranked []Match) []Match {
	// ranked is not sorted yet: leading is having the best score.
	best := 0.0
	for _, r := range ranked {
		best = max(best, r.Score)
	}
	at := func(id string) int {
		for i, r := range ranked {
			if r.ID == id {
				return i
			}
		}
		return -1
	}
	for _, r := range m.refines {
		b := at(r.base)
		said := m.said(q, r.extra) // by weight: "cha mẹ … con" says little of "kết hợp nhận cha, mẹ, con"
		n := at(r.narrow)
		if said == 0 && n >= 0 && ranked[n].Score == best && (b < 0 || ranked[n].Score > ranked[b].Score) {
			// The narrower one leads on the words it shares with its base
			// ("khai sinh cho con … cha mẹ" is in "khai sinh cho con có
			// cha mẹ là người nước ngoài") without one of its own: the
			// base ties it, so the citizen is asked which.
			if b < 0 {
				ranked = append(ranked, Match{ID: r.base})
				b = len(ranked) - 1
			}
			ranked[b].Score = ranked[n].Score
			continue
		}
		if b < 0 || said < refineShare {
			continue
		}
		// The narrower one takes the base's place, and the base leaves
		// the ranking: what the question said rules it out.
		if n >= 0 {
			ranked[b].Score = max(ranked[b].Score, ranked[n].Score)
			ranked = slices.Delete(ranked, n, n+1)
			if n < b {
				b--
			}
		}
		ranked[b].ID = r.narrow
	}
	return ranked
}

// families maps the procedures of the refinements to their base's name
// words: "Đăng ký khai sinh" and "… khai sinh có yếu tố nước ngoài" are
// the birth family, {dang ky khai sinh}.
func families(procs []knowledge.Procedure, refines []refinement) map[string]family {
	name := map[string]string{}
	for _, p := range procs {
		name[p.ID] = strings.SplitN(p.Name, "(", 2)[0]
	}
	out := map[string]family{}
	for _, r := range refines {
		f, ok := out[r.base]
		if !ok {
			f.base = r.base
			for _, w := range NewText(name[r.base]).Tokens {
				if !stopWords[w] {
					f.words = append(f.words, w)
				}
			}
		}
		out[r.base], out[r.narrow] = f, f
	}
	return out
}

// namedShare is how much of a family's base name, by weight, a question
// must say to name the family ("khai sinh" is most of "đăng ký khai
// sinh": "đăng ký" is in many names).
const namedShare = refineShare

// unnamedFamily scales a family's procedures when the question names
// another family and not theirs.
const unnamedFamily = 0.5

// preferNamed weighs down, when the question names a family (its base
// name: "làm khai sinh cho con"), the procedures of the families it does
// not name: "vợ em người Trung Quốc … làm khai sinh cho con" is a birth,
// however like a marriage's examples "vợ … người Trung Quốc" reads. A
// question naming two families, or none, keeps its ranking.
func (m *Matters) preferNamed(q Query, ranked []Match) []Match {
	named := map[string]bool{} // by base id: whether the question names the family
	for _, r := range ranked {
		if f, ok := m.families[r.ID]; ok {
			if _, seen := named[f.base]; !seen {
				named[f.base] = m.said(q, f.words) >= namedShare
			}
		}
	}
	if !slices.Contains(slices.Collect(maps.Values(named)), true) {
		return ranked
	}
	for i, r := range ranked {
		if f, ok := m.families[r.ID]; ok && !named[f.base] {
			ranked[i].Score *= unnamedFamily
		}
	}
	return ranked
}

// afterDeath in a procedure's name make it one that follows a death.
var afterDeath = splitPhrases([]string{"khai tu", "mai tang"})

// deathWords say that someone died (or name what follows a death).
var deathWords = splitPhrases([]string{"mat", "chet", "qua doi", "tu tran", "tu vong", "hy sinh", "khai tu", "mai tang",
	"ma chay", "dam tang", "dam ma", "bao tu", "tu tuat", "an tang", "hoa tang", "tho cung", "di chuc", "thua ke", "khong con"})

// needDeath weighs half the procedures that follow a death when the
// question says nobody died: "tôi 70 tuổi sống một mình, có được trợ cấp
// gì không" is no funeral allowance, however like its examples ("người già
// neo đơn … trợ cấp") it reads. "Mất" (also "lost") counts as a death.
func (m *Matters) needDeath(q Query, ranked []Match) []Match {
	for range phraseHits(q.Words, deathWords) {
		return ranked
	}
	for i, r := range ranked {
		if m.ofDeath[r.ID] {
			ranked[i].Score *= unnamedFamily
		}
	}
	return ranked
}

// said is the share, by weight (idf), of words that the question says.
func (m *Matters) said(q Query, words []string) float64 {
	var said, all float64
	for _, w := range words {
		idf := m.unknown
		if id, ok := m.vocab[w]; ok {
			idf = m.idf[id]
		}
		all += idf
		if slices.Contains(q.Words, w) {
			said += idf
		}
	}
	if all == 0 {
		return 0
	}
	return said / all
}

// Blend weights of the two readers in Rank, and the number of
// procedures each contributes.
const (
	phraseWeight  = 0.5
	exampleWeight = 1.0
	// curatedWeight weighs a curated answer's example score: it has
	// phrasings, no name for the phrase scorer to add to.
	curatedWeight = 1.25
	rankDepth     = 8
)

// Rank rates the procedures for a question by both readers: the phrase
// scorer (how much of a name or alias the question says) and the example
// classifier (how like the question an example is), blended. Best first.
func (m *Matters) Rank(q Query) []Match {
	byID := map[string]float64{}
	for i, l := range m.Score(q, nil) {
		if i == rankDepth {
			break
		}
		byID[l.ID] += phraseWeight * l.Score
	}
	for _, c := range m.Classify(q, rankDepth) {
		w := exampleWeight
		if strings.HasPrefix(c.ID, CuratedPrefix) {
			w = curatedWeight
		}
		byID[c.ID] += w * c.Score
	}
	out := make([]Match, 0, len(byID))
	for id, s := range byID {
		out = append(out, Match{ID: id, Score: s})
	}
	out = m.needDeath(q, m.preferNamed(q, m.refine(q, out)))
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Classify rates the procedures by their example most like the question,
// best first (at most limit).
func (m *Matters) Classify(q Query, limit int) []Match {
	scores := m.examples.score(q, limit)
	out := make([]Match, len(scores))
	for i, s := range scores {
		id := CuratedPrefix
		if int(s.proc) < len(m.procs) {
			id = m.procs[s.proc].ID
		} else {
			id += m.curated[int(s.proc)-len(m.procs)]
		}
		out[i] = Match{ID: id, Score: s.score}
	}
	return out
}

func pair(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// Query is the words of a message to match procedures on: the citizen's
// own words, plus the knowledge base's words that everyday ones stand for
// (marked Added; they widen what matches without diluting the score).
type Query struct {
	Words []string
	Added []bool
	// Group ties a synonym's added words to the citizen's words they stand
	// for: matching either explains the whole group.
	Group []int
	// Marks are the diacritics typed on each word ("" when none or added).
	Marks []string
}

// questionPairs are two-word question phrases whose words mean nothing
// alone ("bao nhiêu", "bao lâu"), unlike "bảo hiểm" or "bảo trợ".
var questionPairs = map[string]bool{
	"bao nhieu": true, "bao lau": true, "bao gio": true, "ho so": true, "thu tuc": true,
	"lam sao": true, "the sao": true, "tai sao": true, "vi sao": true, "sao vay": true, "cho ban": true, "ban oi": true,
	"mat may": true, "mat bao": true, // "mất bao lâu" (takes how long) is not "mất" (lost)
	"tra loi": true, "giai dap": true, "tu van": true, // "trả lời giúp em": asking for an answer, not its matter
}

// dropQuestionPairs removes both words of every question pair.
func dropQuestionPairs(toks []string) []string {
	out := make([]string, 0, len(toks))
	for _, i := range questionPairsKept(toks) {
		out = append(out, toks[i])
	}
	return out
}

// officeAddress are the words that ask where an office is ("địa chỉ
// UBND", "trụ sở công an"): a question about the place and its office,
// not a matter ("ubnd" alone matches many procedures' examples, "địa chỉ"
// alone updating an address).
var officeAddress = [][]string{
	{"dia", "chi", "ubnd"}, {"dia", "chi", "uy", "ban"}, {"dia", "chi", "cong", "an"},
	{"tru", "so", "ubnd"}, {"tru", "so", "uy", "ban"}, {"tru", "so", "cong", "an"},
}

// questionPairsKept returns the indexes of the words that are not part of
// a question pair or of a question for an office's address.
func questionPairsKept(toks []string) []int {
	out := make([]int, 0, len(toks))
next:
	for i := 0; i < len(toks); i++ {
		for _, seq := range officeAddress {
			if hasAt(toks, i, seq) {
				i += len(seq) - 1
				continue next
			}
		}
		if i+1 < len(toks) && questionPairs[toks[i]+" "+toks[i+1]] {
			i++
			continue
		}
		out = append(out, i)
	}
	return out
}

// Query turns the words of a message that are not a place into the
// content words to match on, with everyday synonyms added.
func (m *Matters) Query(t Text, used []bool) Query {
	var toks, marks []string
	describes := residenceDescriptors(t.Tokens, used)
	for i, tok := range t.Tokens {
		if (i >= len(used) || !used[i]) && !describes[i] {
			toks = append(toks, tok)
			mk := ""
			if i < len(t.Words) {
				mk = t.Words[i].Marks
			}
			marks = append(marks, mk)
		}
	}
	keep := questionPairsKept(toks)
	kt, km := toks[:0:0], marks[:0:0]
	for _, i := range keep {
		w := m.correct(toks[i])
		mk := marks[i]
		if w != toks[i] {
			mk = "" // a slip respelled: its marks are not the word's
		}
		kt, km = append(kt, w), append(km, mk)
	}
	toks, marks = kt, km
	// Synonyms are longest first: "mẹ tôi mất" (died) wins over "mất" (lost).
	var q Query
	add := func(w string, added bool, group int, mk string) {
		q.Words, q.Added, q.Group, q.Marks = append(q.Words, w), append(q.Added, added), append(q.Group, group), append(q.Marks, mk)
	}
	group := 0
	for i := 0; i < len(toks); group++ {
		n := 1
		for _, s := range m.syn {
			if hasAt(toks, i, s.from) {
				for _, w := range s.to {
					add(w, true, group, "")
				}
				n = len(s.from)
				break
			}
		}
		for j := i; j < i+n; j++ {
			add(toks[j], false, group, marks[j])
		}
		i += n
	}
	return q
}

// residenceWords say where someone is registered as living; before "ở"
// or "tại" and a place ("hộ khẩu ở phường Tân Phú quận 7") they describe
// the citizen, not the matter: "làm hộ chiếu … hộ khẩu ở phường Tân Phú"
// is a passport, not a permanent residence registration. After a verb
// ("đăng ký thường trú ở …", "nhập hộ khẩu tại …") they are the matter.
var residenceWords = splitPhrases([]string{"ho khau", "thuong tru", "tam tru", "cu tru"})

// residenceVerbs make residence words the matter.
var residenceVerbs = map[string]bool{"dang": true, "ky": true, "ki": true, "lam": true, "nhap": true, "chuyen": true, "xin": true,
	"tach": true, "xoa": true, "cap": true, "gia": true, "han": true, "khai": true, "bao": true, "xac": true, "nhan": true}

// residenceDescriptors marks the residence words of toks that describe
// the citizen: followed by "ở"/"tại" (after "có", "đang" or nothing) and
// a place the place reader used, and not after a verb.
func residenceDescriptors(toks []string, used []bool) map[int]bool {
	var out map[int]bool
	for i, rw := range phraseHits(toks, residenceWords) {
		at := i + len(rw)
		if at+1 >= len(toks) || at+1 >= len(used) || (toks[at] != "o" && toks[at] != "tai") || !used[at+1] {
			continue
		}
		if i > 0 && residenceVerbs[toks[i-1]] {
			continue
		}
		if out == nil {
			out = map[int]bool{}
		}
		for j := i; j < at; j++ {
			out[j] = true
		}
	}
	return out
}

// correct respells a word that cannot be Vietnamese ("sihn", "sinhh")
// as the procedures' word it is a slip of (one edit, two for long words),
// preferring the commonest; real words and numbers are left alone.
func (m *Matters) correct(tok string) string {
	if len(tok) < 3 || stopWords[tok] || names.IsNumber(tok) || names.IsSyllable(tok) {
		return tok
	}
	if _, ok := m.vocab[tok]; ok {
		return tok
	}
	limit := 1
	if len(tok) >= 7 {
		limit = 2
	}
	best, bestDF, bestD := tok, 0, limit+1
	for w, id := range m.vocab {
		d := names.OSADistance(tok, w, limit)
		if d > limit {
			continue
		}
		df := len(m.postings[id])
		if d < bestD || (d == bestD && (df > bestDF || df == bestDF && w < best)) {
			best, bestDF, bestD = w, df, d
		}
	}
	return best
}

// hasAt reports whether toks has the words seq at i.
func hasAt(toks []string, i int, seq []string) bool {
	if i+len(seq) > len(toks) {
		return false
	}
	for j, s := range seq {
		if toks[i+j] != s {
			return false
		}
	}
	return true
}

// phraseHits yields every place in toks where one of phrases starts, and
// the phrase.
func phraseHits(toks []string, phrases [][]string) iter.Seq2[int, []string] {
	return func(yield func(int, []string) bool) {
		for i := range toks {
			for _, p := range phrases {
				if hasAt(toks, i, p) && !yield(i, p) {
					return
				}
			}
		}
	}
}

// distinctiveDF is the most procedures a word may name and still be
// evidence alone.
const distinctiveDF = 2

// singleWordPrecision is the share of what was said one matched word must
// explain to count alone.
const singleWordPrecision = 0.75

// minRecall is the least share of a phrase's weight a question must say.
const minRecall = 0.5

// maxGroups bounds the word groups one question is scored on (a bit each).
const maxGroups = 64

// scoring is a query prepared for scoring: its known content words, which
// groups each belongs to, and how much each group weighs.
type scoring struct {
	words   []int32  // distinct known content words
	marks   []string // per word: the diacritics typed on it
	groups  []uint64 // per word: the groups it explains (bits)
	weights [maxGroups]float64
	total   float64 // weight of everything the citizen said
	bigrams []uint64
	single  bool // one word said, nothing else
}

func (m *Matters) prepare(q Query) scoring {
	var sc scoring
	prev := int32(-1)
	unknown := map[string]bool{}
	for i, t := range q.Words {
		g := min(q.Group[i], maxGroups-1)
		id, known := m.vocab[t]
		if !known {
			prev = -1
			if !q.Added[i] && !stopWords[t] && !unknown[t] {
				unknown[t] = true
				sc.weights[g] += m.unknown // a word no procedure uses is rare
			}
			continue
		}
		if prev >= 0 {
			sc.bigrams = append(sc.bigrams, pair(prev, id))
		}
		prev = id
		if stopWords[t] {
			continue
		}
		k := slices.Index(sc.words, id)
		if k < 0 {
			mk := ""
			if i < len(q.Marks) {
				mk = q.Marks[i]
			}
			sc.words, sc.groups, sc.marks = append(sc.words, id), append(sc.groups, 0), append(sc.marks, mk)
			k = len(sc.words) - 1
			if !q.Added[i] {
				sc.weights[g] += m.idf[id]
			}
		}
		sc.groups[k] |= 1 << g
	}
	for _, w := range sc.weights {
		sc.total += w
	}
	sc.single = len(sc.words) == 1 && len(unknown) == 0
	return sc
}

// Score rates the procedures with the given ids (all when ids is nil) for
// the query, best first.
func (m *Matters) Score(q Query, ids []string) []Match {
	sc := m.prepare(q)
	if len(sc.words) == 0 || sc.total == 0 {
		return nil
	}
	var allowed map[int32]bool
	if ids != nil {
		allowed = make(map[int32]bool, len(ids))
		for _, id := range ids {
			if i, ok := m.byID[id]; ok {
				allowed[int32(i)] = true
			}
		}
	}
	var out []Match
	done := map[int32]bool{}
	for _, w := range sc.words {
		for _, pi := range m.postings[w] {
			if done[pi] || (allowed != nil && !allowed[pi]) {
				continue
			}
			done[pi] = true
			best := 0.0
			for _, ph := range m.phrases[pi] {
				if s := m.phraseScore(&sc, ph); s > best {
					best = s
				}
			}
			if best > 0 {
				out = append(out, Match{ID: m.procs[pi].ID, Score: best})
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].ID < out[b].ID
	})
	return out
}

// phraseScore is an idf-weighted F-measure: recall is how much of the
// phrase the question says, precision how much of what the citizen said
// the phrase explains (a synonym explains the words it stands for); word
// pairs found in order add a bonus.
func (m *Matters) phraseScore(sc *scoring, ph phrase) float64 {
	var have float64
	var explained uint64
	matched, units, run := 0, 0, 0
	common := false // a matched word several procedures use ("trực tuyến")
	for j, w := range ph.words {
		if k := slices.Index(sc.words, w); k >= 0 && (sc.marks[k] == "" || ph.marks[j] == "" || sc.marks[k] == ph.marks[j]) {
			have += m.idf[w]
			explained |= sc.groups[k]
			matched++
			common = common || len(m.postings[w]) > distinctiveDF
			// Two syllables next to each other in both may be one word
			// ("trực tuyến"): a run of n such syllables counts as n/2
			// words, rounded up.
			if run > 0 && slices.Contains(sc.bigrams, pair(ph.words[j-1], w)) {
				run++
			} else {
				units += (run + 1) / 2
				run = 1
			}
			continue
		}
		units += (run + 1) / 2
		run = 0
	}
	units += (run + 1) / 2
	// One shared syllable is no evidence in Vietnamese ("vàng" in "giá
	// vàng" is not "tạm vắng"), unless one word is all that was said.
	if have == 0 || ph.total == 0 || (matched < 2 && !(sc.single && len(ph.words) == 1)) {
		return 0
	}
	said := 0.0
	for g := 0; g < maxGroups; g++ {
		if explained&(1<<g) != 0 {
			said += sc.weights[g]
		}
	}
	recall := have / ph.total
	precision := said / sc.total
	// Most of the phrase must be said: two rare words of a long alias
	// ("ngân hàng" in "xác nhận độc thân để vay ngân hàng") are context,
	// not the matter.
	if precision == 0 || recall < minRecall {
		return 0
	}
	// One shared common word is no evidence either ("trực tuyến" in "hồ
	// sơ nộp trực tuyến đã duyệt chưa" is not "khai tử trực tuyến"),
	// unless it is most of what was said; a word of few procedures is
	// ("hộ chiếu" in "làm hộ chiếu cho con 5 tuổi cần gì").
	if units < 2 && common && precision < singleWordPrecision {
		return 0
	}
	f := 2 * recall * precision / (recall + precision)
	pairs := 0
	for _, b := range ph.bigrams {
		if slices.Contains(sc.bigrams, b) {
			pairs++
		}
	}
	bonus := 0.0
	if len(ph.bigrams) > 0 {
		bonus = 0.2 * float64(pairs) / float64(len(ph.bigrams))
	}
	return (f + bonus) * ph.weight
}

// Content drops the stop words of a query (what is worth sending to the
// search index).
func Content(q Query) []string {
	out := make([]string, 0, len(q.Words))
	for _, t := range q.Words {
		if !stopWords[t] && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// Procedure returns the procedure with that id.
func (m *Matters) Procedure(id string) (knowledge.Procedure, bool) {
	i, ok := m.byID[id]
	if !ok {
		return knowledge.Procedure{}, false
	}
	return m.procs[i], true
}
