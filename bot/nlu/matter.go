package nlu

import (
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
}

// phrase is a name or alias: its content words (no stop words, no
// repeats), their total weight and its word pairs.
type phrase struct {
	words   []int32
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
	"the": true, "sao": true, "a": true, "vay": true, "nhe": true, "oi": true, "la": true, "co": true, "khong": true,
	"phai": true, "duoc": true, "nop": true, "den": true, "di": true, "ve": true, "viec": true, "thu": true, "tuc": true,
	"giay": true, "to": true, "bao": true, "lau": true, "nhieu": true, "tien": true, "phi": true,
	"xin": true, "lam": true, "tai": true, "cua": true, "va": true, "voi": true, "nhu": true, "tren": true, "ra": true,
	"giup": true, "ban": true, "ak": true, "ah": true, "u": true, "vui": true, "long": true, "huong": true, "dan": true,
	"nay": true, "gio": true, "moi": true, "cu": true, "sau": true, "sap": true, "nhap": true, "thuoc": true, "vao": true,
	"phuong": true, "huyen": true, // "phường mới là phường nào" asks for a place, not a procedure
}

// NewMatters indexes the procedures. synonyms maps folded everyday words to
// folded words of the procedures' vocabulary ("so hong" → "so do").
func NewMatters(procs []knowledge.Procedure, synonyms map[string]string) *Matters {
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
		for j, text := range append([]string{p.Name}, p.Aliases...) {
			toks := strings.Fields(names.Fold(text))
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
				ph.words = append(ph.words, id)
				for int(id) >= len(df) {
					df = append(df, 0)
				}
				if l := m.postings[id]; len(l) == 0 || l[len(l)-1] != int32(i) {
					m.postings[id] = append(l, int32(i))
					df[id]++
				}
			}
			if len(ph.words) > 0 {
				ps = append(ps, ph)
			}
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
	return m
}

func pair(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

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
	for i, tok := range toks {
		toks[i] = m.correct(tok)
	}
	// Synonyms are longest first: "mẹ tôi mất" (died) wins over "mất" (lost).
	var out []string
	for i := 0; i < len(toks); {
		n := 1
		for _, s := range m.syn {
			if hasAt(toks, i, s.from) {
				out = append(out, s.to...)
				n = len(s.from)
				break
			}
		}
		out = append(out, toks[i:i+n]...)
		i += n
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
	var words []int32 // known content words of the query
	qWeight := 0.0
	var qbi []uint64
	prev := int32(-1)
	seenUnknown := map[string]bool{}
	for _, t := range q {
		id, known := m.vocab[t]
		if !known {
			prev = -1
			if !stopWords[t] && !seenUnknown[t] {
				seenUnknown[t] = true
				qWeight += m.unknown // a word no procedure uses is rare
			}
			continue
		}
		if prev >= 0 {
			qbi = append(qbi, pair(prev, id))
		}
		prev = id
		if stopWords[t] || slices.Contains(words, id) {
			continue
		}
		words = append(words, id)
		qWeight += m.idf[id]
	}
	if len(words) == 0 {
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
	single := len(words) == 1 && len(seenUnknown) == 0
	var out []Match
	done := map[int32]bool{}
	for _, w := range words {
		for _, pi := range m.postings[w] {
			if done[pi] || (allowed != nil && !allowed[pi]) {
				continue
			}
			done[pi] = true
			best := 0.0
			for _, ph := range m.phrases[pi] {
				if s := m.phraseScore(words, qWeight, qbi, ph, single); s > best {
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

// phraseScore is an idf-weighted F-measure of the phrase's words found in
// the query, with a bonus for word pairs found in order.
func (m *Matters) phraseScore(words []int32, qWeight float64, qbi []uint64, ph phrase, single bool) float64 {
	var have float64
	matched := 0
	for _, w := range ph.words {
		if slices.Contains(words, w) {
			have += m.idf[w]
			matched++
		}
	}
	// One shared syllable is no evidence in Vietnamese ("vàng" in "giá
	// vàng" is not "tạm vắng"), unless one word is all that was said.
	if have == 0 || ph.total == 0 || (matched < 2 && !(single && len(ph.words) == 1)) {
		return 0
	}
	recall := have / ph.total   // how much of the phrase was said
	precision := have / qWeight // how much of what was said the phrase explains
	f := 2 * recall * precision / (recall + precision)
	pairs := 0
	for _, b := range ph.bigrams {
		if slices.Contains(qbi, b) {
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
func Content(q []string) []string {
	out := make([]string, 0, len(q))
	for _, t := range q {
		if !stopWords[t] {
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
