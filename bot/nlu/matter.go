package nlu

import (
	"math"
	"sort"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// Matters scores how well a message names each procedure of the KB, over
// the procedures' names and aliases, with words weighted by how rare they
// are among procedures. It ranks Meilisearch's candidates and is the whole
// matcher when the search index is down.
type Matters struct {
	procs   []knowledge.Procedure
	phrases [][]phrase // per procedure
	idf     map[string]float64
	byID    map[string]int
	syn     []synonym
}

type phrase struct {
	toks    []string
	bigrams map[string]bool
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
	"the": true, "sao": true, "a": true, "vay": true, "nhe": true, "oi": true, "la": true, "co": true, "khong": true,
	"phai": true, "duoc": true, "nop": true, "den": true, "di": true, "ve": true, "viec": true, "thu": true, "tuc": true,
	"giay": true, "to": true, "bao": true, "lau": true, "nhieu": true, "tien": true, "phi": true,
	"xin": true, "lam": true, "tai": true, "cua": true, "va": true, "voi": true, "nhu": true, "tren": true, "ra": true,
	"giup": true, "ban": true, "ak": true, "ah": true, "u": true, "vui": true, "long": true, "huong": true, "dan": true,
	"nay": true, "gio": true, "moi": true, "cu": true, "sau": true, "sap": true, "nhap": true, "thuoc": true, "vao": true,
}

// NewMatters indexes the procedures. synonyms maps folded everyday words to
// folded words of the procedures' vocabulary ("so hong" → "so do").
func NewMatters(procs []knowledge.Procedure, synonyms map[string]string) *Matters {
	m := &Matters{procs: procs, idf: map[string]float64{}, byID: map[string]int{}}
	df := map[string]int{}
	for i, p := range procs {
		m.byID[p.ID] = i
		seen := map[string]bool{}
		var ps []phrase
		for j, text := range append([]string{p.Name}, p.Aliases...) {
			toks := strings.Fields(names.Fold(text))
			if len(toks) == 0 {
				continue
			}
			w := 1.0
			if j == 0 {
				w = 0.95 // official names are long and formal; aliases are how people say it
			}
			ps = append(ps, phrase{toks: toks, bigrams: bigrams(toks), weight: w})
			for _, t := range toks {
				if !seen[t] {
					seen[t] = true
					df[t]++
				}
			}
		}
		m.phrases = append(m.phrases, ps)
	}
	n := float64(len(procs))
	for t, d := range df {
		m.idf[t] = math.Log(1 + n/float64(d))
	}
	for from, to := range synonyms {
		m.syn = append(m.syn, synonym{strings.Fields(from), strings.Fields(to)})
	}
	sort.Slice(m.syn, func(i, j int) bool { return len(m.syn[i].from) > len(m.syn[j].from) })
	return m
}

// Query turns the words of a message that are not a place into the
// content words to match on, with everyday synonyms added.
func (m *Matters) Query(t Text, used []bool) []string {
	var toks []string
	for i, tok := range t.Tokens {
		if i < len(used) && used[i] {
			continue
		}
		toks = append(toks, tok)
	}
	var out []string
	for i := 0; i < len(toks); i++ {
		for _, s := range m.syn {
			if hasAt(toks, i, s.from) {
				out = append(out, s.to...)
			}
		}
		out = append(out, toks[i])
	}
	return out
}

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

// Score rates the procedures with the given ids (all when ids is nil) for
// the query words, best first.
func (m *Matters) Score(q []string, ids []string) []Match {
	qset := map[string]bool{}
	qWeight := 0.0
	for _, t := range q {
		if stopWords[t] || qset[t] {
			continue
		}
		qset[t] = true
		qWeight += m.weightOf(t)
	}
	if qWeight == 0 {
		return nil
	}
	qbi := bigrams(q)
	idx := make([]int, 0, len(m.procs))
	if ids == nil {
		for i := range m.procs {
			idx = append(idx, i)
		}
	} else {
		for _, id := range ids {
			if i, ok := m.byID[id]; ok {
				idx = append(idx, i)
			}
		}
	}
	var out []Match
	for _, i := range idx {
		best := 0.0
		for _, ph := range m.phrases[i] {
			if s := m.phraseScore(qset, qWeight, qbi, ph); s > best {
				best = s
			}
		}
		if best > 0 {
			out = append(out, Match{ID: m.procs[i].ID, Score: best})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	return out
}

func (m *Matters) weightOf(t string) float64 {
	if w, ok := m.idf[t]; ok {
		return w
	}
	return math.Log(1 + float64(len(m.procs))) // an unknown word is rare
}

// phraseScore is an idf-weighted F-measure of the phrase's words found in
// the query, with a bonus for word pairs found in order.
func (m *Matters) phraseScore(qset map[string]bool, qWeight float64, qbi map[string]bool, ph phrase) float64 {
	var have, total float64
	seen := map[string]bool{}
	matched := 0
	for _, t := range ph.toks {
		if stopWords[t] || seen[t] {
			continue
		}
		seen[t] = true
		w := m.weightOf(t)
		total += w
		if qset[t] {
			have += w
			matched++
		}
	}
	// One shared syllable is no evidence in Vietnamese ("vàng" in "giá
	// vàng" is not "tạm vắng"), unless one word is all that was said.
	if have == 0 || total == 0 || (matched < 2 && !(len(qset) == 1 && len(seen) == 1)) {
		return 0
	}
	recall := have / total      // how much of the phrase was said
	precision := have / qWeight // how much of what was said the phrase explains
	f := 2 * recall * precision / (recall + precision)
	pairs := 0
	for b := range ph.bigrams {
		if qbi[b] {
			pairs++
		}
	}
	bonus := 0.0
	if len(ph.bigrams) > 0 {
		bonus = 0.2 * float64(pairs) / float64(len(ph.bigrams))
	}
	return (f + bonus) * ph.weight
}

func bigrams(toks []string) map[string]bool {
	out := make(map[string]bool, len(toks))
	for i := 0; i+1 < len(toks); i++ {
		out[toks[i]+" "+toks[i+1]] = true
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
