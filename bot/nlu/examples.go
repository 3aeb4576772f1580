package nlu

import (
	"math"
	"sort"
	"sync"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// exampleIndex is a nearest-example classifier: every procedure's name,
// aliases and example questions are sparse vectors of content syllables
// and syllable pairs weighted by rarity (tf-idf), and a question is scored
// against each procedure by its most similar example (cosine). Examples
// carry what keyword lists cannot: "hai đứa muốn cưới" is near "hai đứa
// tính cưới nhau" and far from "cưới vợ cho con trai" only by its words.
type exampleIndex struct {
	scratch         sync.Pool // *scoreScratch
	neighbourWeight float64
	features        map[string]int32
	marks           map[string]uint16 // diacritics written → small id; 0 is "none"
	idf             []float64
	postings        [][]posting // feature → examples having it
	proc            []int32     // example → procedure index
	norm            []float64   // example → vector length
	procs           int         // number of procedures
}

// posting is one example having a feature, with the diacritics the
// feature's words were written with there ("" when without).
type posting struct {
	ex    int32
	marks uint16 // see exampleIndex.marks
}

// feature is a content syllable or a pair of neighbouring ones, with the
// diacritics typed on it.
type feature struct {
	key   string
	marks string
	pair  bool
	// weak: made only of exampleWords; weighed, but no evidence alone
	// ("sáp nhập vào đâu" is about no procedure).
	weak bool
}

// exampleWords are stop words of the phrase scorer that examples do
// weigh: "sáp nhập" tells a question about papers after the reform ("sáp
// nhập rồi có phải đổi căn cước không") from the procedure itself.
var exampleWords = map[string]bool{"sap": true, "nhap": true}

// exampleFeatures are the features of a query's words: content syllables
// (the question's stop words dropped) and pairs of neighbouring content
// syllables, so compounds ("khai sinh", "sổ đỏ") count as themselves.
func exampleFeatures(q Query) []feature {
	type word struct{ w, marks string }
	content := make([]word, 0, len(q.Words))
	for i, w := range q.Words {
		if (!stopWords[w] || exampleWords[w]) && !names.IsNumber(w) {
			mk := ""
			if i < len(q.Marks) {
				mk = q.Marks[i]
			}
			content = append(content, word{w, mk})
		}
	}
	out := make([]feature, 0, 2*len(content))
	seen := make(map[string]bool, 2*len(content))
	has := func(k string) bool {
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	}
	for i, c := range content {
		if !has(c.w) {
			out = append(out, feature{key: c.w, marks: c.marks, weak: exampleWords[c.w]})
		}
		if i > 0 {
			prev := content[i-1]
			k := prev.w + "_" + c.w
			mk := ""
			if prev.marks != "" && c.marks != "" {
				mk = prev.marks + "_" + c.marks
			}
			if !has(k) {
				out = append(out, feature{key: k, marks: mk, pair: true, weak: exampleWords[prev.w] && exampleWords[c.w]})
			}
		}
	}
	return out
}

// newExampleIndex indexes the phrasings of each procedure (by index).
func newExampleIndex(phrasings [][]Query) *exampleIndex {
	ix := &exampleIndex{features: map[string]int32{}, marks: map[string]uint16{"": 0}, procs: len(phrasings)}
	ix.scratch.New = func() any { return &scoreScratch{} }
	ix.neighbourWeight = defaultNeighbourWeight
	var df []int
	var docs [][]int32
	for pi, list := range phrasings {
		for _, q := range list {
			feats := exampleFeatures(q)
			if len(feats) == 0 {
				continue
			}
			ex := int32(len(docs))
			doc := make([]int32, 0, len(feats))
			for _, f := range feats {
				id, ok := ix.features[f.key]
				if !ok {
					id = int32(len(ix.features))
					ix.features[f.key] = id
					df = append(df, 0)
					ix.postings = append(ix.postings, nil)
				}
				df[id]++
				doc = append(doc, id)
				mk, ok := ix.marks[f.marks]
				if !ok {
					mk = uint16(len(ix.marks))
					ix.marks[f.marks] = mk
				}
				ix.postings[id] = append(ix.postings[id], posting{ex, mk})
			}
			docs = append(docs, doc)
			ix.proc = append(ix.proc, int32(pi))
		}
	}
	n := float64(len(docs))
	ix.idf = make([]float64, len(df))
	for id, d := range df {
		ix.idf[id] = math.Log(1 + n/float64(d))
	}
	ix.norm = make([]float64, len(docs))
	for e, doc := range docs {
		s := 0.0
		for _, id := range doc {
			s += ix.idf[id] * ix.idf[id]
		}
		ix.norm[e] = math.Sqrt(s)
	}
	return ix
}

// unknownFeatureWeight is the weight of a question's word no example has:
// it makes the question less like every example alike.
func (ix *exampleIndex) unknownFeatureWeight() float64 {
	return math.Log(1 + float64(len(ix.norm)))
}

// exampleK is how many of a procedure's most similar examples count.
const exampleK = 3

// defaultNeighbourWeight is the share of a procedure's score its 2nd and
// 3rd most similar examples carry (tuned on eval/own-matter-tune.jsonl).
const defaultNeighbourWeight = 0.3

// scoreScratch is one scoring's accumulators, reused across questions.
type scoreScratch struct {
	dots    []float64
	shared  []uint16
	touched []int32
	top     []procTop
	procAt  []int32 // procedure → its index in top, -1 when absent
}

// procTop is a procedure's most similar examples' cosines, best first.
type procTop struct {
	proc int32
	best [exampleK]float64
}

// reset clears what the last scoring touched and sizes for n examples.
func (s *scoreScratch) reset(n, procs int) {
	if len(s.dots) != n {
		s.dots, s.shared = make([]float64, n), make([]uint16, n)
	}
	if len(s.procAt) != procs {
		s.procAt = make([]int32, procs)
		for i := range s.procAt {
			s.procAt[i] = -1
		}
	}
	for _, e := range s.touched {
		s.dots[e], s.shared[e] = 0, 0
	}
	s.touched = s.touched[:0]
}

// procScore is a procedure (by index) and its score.
type procScore struct {
	proc  int32
	score float64
}

// score returns each procedure's best cosine with the question, best
// first (at most limit). A word typed with diacritics matches an example's
// word written with the same ones, or without any: "giá vàng" is not
// "tạm vắng".
func (ix *exampleIndex) score(q Query, limit int) []procScore {
	feats := exampleFeatures(q)
	if len(feats) == 0 || len(ix.norm) == 0 {
		return nil
	}
	sc := ix.scratch.Get().(*scoreScratch)
	defer ix.scratch.Put(sc)
	sc.reset(len(ix.norm), ix.procs)
	qn := 0.0
	for _, f := range feats {
		id, ok := ix.features[f.key]
		if !ok {
			if !f.pair {
				w := ix.unknownFeatureWeight()
				qn += w * w
			}
			continue
		}
		w := ix.idf[id]
		qn += w * w
		mk, known := ix.marks[f.marks]
		if !known {
			mk = math.MaxUint16 // marks no example has: only plain examples match
		}
		for _, p := range ix.postings[id] {
			if mk != 0 && p.marks != 0 && mk != p.marks {
				continue
			}
			if sc.shared[p.ex] == 0 {
				sc.touched = append(sc.touched, p.ex)
			}
			sc.dots[p.ex] += w * w
			if !f.weak {
				sc.shared[p.ex]++
			}
		}
	}
	if qn == 0 {
		return nil
	}
	qn = math.Sqrt(qn)
	// Each procedure's score is its best example's cosine, blended with
	// its next best ones: a question like several examples of one
	// procedure is surer than one like a single example.
	top := sc.top[:0]
	for _, e := range sc.touched {
		if sc.shared[e] < 2 {
			continue // one shared syllable is no evidence ("vàng" is not "tạm vắng")
		}
		c := sc.dots[e] / (qn * ix.norm[e])
		p := ix.proc[e]
		at := sc.procAt[p]
		if at < 0 {
			top = append(top, procTop{proc: p})
			at = int32(len(top) - 1)
			sc.procAt[p] = at
		}
		k := &top[at].best
		for i := range k {
			if c > k[i] {
				copy(k[i+1:], k[i:len(k)-1])
				k[i] = c
				break
			}
		}
	}
	sc.top = top
	out := make([]procScore, 0, len(top))
	for _, t := range top {
		sc.procAt[t.proc] = -1
		s := (1 - ix.neighbourWeight) * t.best[0]
		for _, c := range t.best[1:] {
			s += ix.neighbourWeight * c / float64(exampleK-1)
		}
		out = append(out, procScore{t.proc, s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].proc < out[j].proc
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
