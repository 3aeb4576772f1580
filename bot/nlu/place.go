package nlu

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// marker is a type word before a name ("phường", "q.", "tp" …).
type marker struct {
	words int    // tokens the marker takes
	level string // names.LevelWard | LevelDistrict | LevelProvince | "city" (district or province)
	typ   string // unit type it names: phuong | xa | thi_tran | dac_khu | quan | huyen | thi_xa | thanh_pho | tinh
}

// markerSpelling is how each full type word is written with its
// diacritics, as marks per word (see marks): "phương án" is not "phường",
// "xã hội" is not "xã" before a name called "Hội".
var markerSpelling = map[string][]string{
	"phuong": {marks("phường")}, "xa": {marks("xã")}, "quan": {marks("quận")}, "huyen": {marks("huyện")},
	"tinh": {marks("tỉnh")}, "thi tran": {marks("thị"), marks("trấn")}, "dac khu": {marks("đặc"), marks("khu")},
	"thi xa": {marks("thị"), marks("xã")}, "thanh pho": {marks("thành"), marks("phố")},
}

// markerCompounds are ordinary words that begin with a type word typed
// without diacritics ("quan trong" is quan trọng, not Quận Trọng).
var markerCompounds = map[string]bool{
	"quan trong": true, "quan tam": true, "quan he": true, "quan ly": true, "quan li": true, "quan doi": true, "quan ao": true,
	"quan niem": true, "quan sat": true, "quan diem": true, "quan chuc": true, "quan su": true, "quan ngai": true,
	"huyen thoai": true, "tinh trang": true, "tinh hinh": true, "tinh than": true, "tinh cam": true, "tinh yeu": true,
	"tinh thuong": true, "tinh nguyen": true, "tinh toan": true, "xa hoi": true, "xa xoi": true,
	"phuong thuc": true, "phuong phap": true, "phuong huong": true, "phuong cham": true,
}

// compoundAt reports whether the type word at i begins an ordinary word
// (see markerCompounds), typed in lower case.
func compoundAt(t Text, i int) bool {
	return i+1 < len(t.Tokens) && markerCompounds[t.Tokens[i]+" "+t.Tokens[i+1]] && !t.Words[i].Cap
}

// markerAt recognises a type word at token i. Single letters count only
// where they can be nothing else ("p 15", "q 3", "f 5"); a full type word
// typed with other diacritics ("phương án", "quan tâm") is no marker.
func markerAt(t Text, i int) (marker, bool) {
	toks := t.Tokens
	if i > 0 && (toks[i-1] == "cap" || toks[i-1] == "tac" && toks[i] == "xa") {
		return marker{}, false // "cấp xã", "cấp tỉnh", "hợp tác xã"
	}
	if toks[i] == "x" && i+1 < len(toks) && i+1 < len(t.Words) && t.Words[i].Cap && t.Words[i+1].Cap && !t.Words[i].Expanded {
		return marker{1, names.LevelWard, "xa"}, true // "X.Thành Hòa"
	}
	mk, ok := markerWord(toks, i)
	if !ok {
		return mk, false
	}
	if i+1 < len(toks) {
		next := toks[i+1]
		if names.IsNumber(next) && (mk.typ == "xa" || mk.typ == "thi_tran") {
			return marker{}, false // "TT 75/2022" is a circular; no commune is numbered
		}
	}
	key := strings.Join(t.Tokens[i:i+mk.words], " ")
	if want, ok := markerSpelling[key]; ok && i+mk.words <= len(t.Words) {
		for j, m := range want {
			typed := t.Words[i+j].Marks
			if typed != "" && typed != m {
				return marker{}, false
			}
		}
	}
	return mk, true
}

func markerWord(toks []string, i int) (marker, bool) {
	t := toks[i]
	next := ""
	if i+1 < len(toks) {
		next = toks[i+1]
	}
	two := t + " " + next
	switch two {
	case "thi tran":
		return marker{2, names.LevelWard, "thi_tran"}, true
	case "dac khu":
		return marker{2, names.LevelWard, "dac_khu"}, true
	case "thi xa":
		return marker{2, names.LevelDistrict, "thi_xa"}, true
	case "thanh pho":
		return marker{2, "city", "thanh_pho"}, true
	}
	if next == "" {
		return marker{}, false
	}
	switch t {
	case "phuong", "ph", "p":
		return marker{1, names.LevelWard, "phuong"}, true
	case "f":
		if names.IsNumber(next) {
			return marker{1, names.LevelWard, "phuong"}, true
		}
	case "xa", "x":
		if t == "x" && (!names.IsNumber(next) || i > 0 && names.IsNumber(toks[i-1])) {
			return marker{}, false // "x 5" may be xã 5; "4x6" is a photo size
		}
		return marker{1, names.LevelWard, "xa"}, true
	case "tt":
		return marker{1, names.LevelWard, "thi_tran"}, true
	case "quan", "q":
		return marker{1, names.LevelDistrict, "quan"}, true
	case "huyen", "h":
		if t == "h" && (names.IsNumber(next) || i > 0 && names.IsNumber(toks[i-1])) {
			return marker{}, false
		}
		return marker{1, names.LevelDistrict, "huyen"}, true
	case "tx":
		return marker{1, names.LevelDistrict, "thi_xa"}, true
	case "tp", "thanhpho":
		return marker{1, "city", "thanh_pho"}, true
	case "tinh":
		return marker{1, names.LevelProvince, "tinh"}, true
	}
	return marker{}, false
}

// provinceAliases are informal names of provinces (folded).
var provinceAliases = map[string]string{
	"hcm": "ho chi minh", "tphcm": "ho chi minh", "tp hcm": "ho chi minh", "sai gon": "ho chi minh",
	"sg": "ho chi minh", "saigon": "ho chi minh", "hcmc": "ho chi minh", "thanh pho hcm": "ho chi minh",
	"brvt": "ba ria vung tau", "br vt": "ba ria vung tau", "vung tau": "ba ria vung tau",
	"bd": "binh duong", "hn": "ha noi", "ha noi": "ha noi",
}

// provinceAliasFirst are the first words of the province aliases.
var provinceAliasFirst = func() map[string]bool {
	out := map[string]bool{}
	for a := range provinceAliases {
		first, _, _ := strings.Cut(a, " ")
		out[first] = true
	}
	return out
}()

// districtAbbrev are initials people use for HCMC's named quận ("Q.BT").
var districtAbbrev = map[string]string{
	"bt": "binh thanh", "pn": "phu nhuan", "gv": "go vap", "tb": "tan binh", "tp": "tan phu",
	"btan": "binh tan", "td": "thu duc", "bth": "binh thanh",
}

// Mention is a place name found in a message.
type Mention struct {
	Level     string // names.LevelWard | LevelDistrict | LevelProvince
	Start     int    // token index of the marker or the name
	End       int    // one past the last name token
	Key       string // folded short name
	Marked    string // unit type of the marker, "" when the name stood alone
	Fuzzy     bool   // the name was misspelt and read as a near one
	Wards     []knowledge.Place
	Districts []knowledge.District
	Provinces []knowledge.Province
	// Score is the evidence that the words name a place at all.
	Score float64
}

// Mentions is every place mention of a message, plus what was not a place.
type Mentions struct {
	Wards     []Mention
	Districts []Mention
	Provinces []Mention
	// Unknown is a ward marker followed by a name that matches nothing
	// ("Phường Abc"): the folded words after the marker.
	Unknown []Mention
	// Street is the house number and street, when the message has one.
	Street string
	// Used marks tokens that belong to a place or a street.
	Used []bool
}

// PlaceReader finds the places a message names. It weighs evidence rather
// than matching the longest name: the type word before a name and whether
// it fits, the diacritics typed against the name's, capitals, punctuation
// (a name never runs over a comma), the words around it, and whether the
// words are also ordinary Vietnamese ("gia đình" is not Gia Định). Below
// its threshold it reports nothing: never a guess.
type PlaceReader struct {
	places *knowledge.Places
	// ordinary are folded phrases that are ordinary words or phrases, not
	// only names ("gia dinh", "trung tam", "la gi").
	ordinary map[string]bool
	// spellings caches each official name's marks per word (name → []string).
	spellings sync.Map
}

// NewPlaceReader builds a reader over a name index. corpus is ordinary
// text of the KB (procedure names, documents, curated answers, example
// questions): a place name used there in lower case, not after a type
// word, is an ordinary phrase too.
func NewPlaceReader(p *knowledge.Places, corpus []string) *PlaceReader {
	r := &PlaceReader{places: p, ordinary: make(map[string]bool, len(ordinaryPhrases)+256)}
	for _, ph := range ordinaryPhrases {
		r.ordinary[ph] = true
	}
	for _, s := range corpus {
		r.learnOrdinary(NewText(s))
	}
	return r
}

// learnOrdinary notes the place names that a text uses as ordinary words:
// in lower case, not after a type word or "ở"/"tại", and (when typed with
// diacritics) spelled unlike every place of that name.
func (r *PlaceReader) learnOrdinary(t Text) {
	toks := t.Tokens
	for i := range toks {
		if i > 0 {
			if _, ok := markerAt(t, i-1); ok || locativeWords[toks[i-1]] {
				continue
			}
		}
		for n := 2; n <= 3 && i+n <= len(toks); n++ {
			if t.breakInside(i, i+n) != BreakNone {
				break
			}
			lower, accented := true, true // typed with care, not a name
			for j := i; j < i+n; j++ {
				w := t.Words[j]
				lower = lower && !w.Cap
				accented = accented && w.Marks != ""
			}
			if !lower {
				continue
			}
			key := t.Span(i, i+n)
			if accented && len(r.places.Wards(key)) > 0 && len(r.places.Districts(key)) == 0 {
				r.ordinary[key] = true
			}
		}
	}
}

// ordinaryPhrases are everyday words and phrases that are also names of
// places somewhere in Vietnam (folded).
var ordinaryPhrases = []string{
	"gia dinh", "la gi", "tra loi", "truong thanh", "trung tam", "hoa binh", "binh an", "an lac", "tan tien",
	"thanh cong", "phu quy", "yen binh", "thong nhat", "doc lap", "tu do", "doan ket", "tien bo", "thang loi",
	"chien thang", "quyet thang", "hop tac", "hoa hiep", "nhan dan", "dong tam", "thinh vuong", "an binh",
	"hanh phuc", "tan hiep", "an phu", "phuc loi", "cong hoa", "dai hoc", "trung hoa", "tam thang", "phu loi",
	"binh minh", "tan thanh", "thanh binh", "an khanh", "hoa thuan", "hoa an", "hoa loi", "tan loi", "thuan loi",
	"phuong do", "xa do", "phuong nay", "xa nay", "phuong minh", "xa minh", "phat trien", "tuong lai", "vinh hung", "phu cuong", "thien loc", "khanh hoa", "my hoa", "hung thinh",
	"trung thanh", "minh khai", "tan lap", "dan chu", "van minh", "xuan hoa", "an thinh", "vinh phuc",
}

// locativeWords come before a place ("ở Tân Định", "tại Linh Trung").
var locativeWords = map[string]bool{"o": true, "tai": true, "thuoc": true}

// candidate is a span that may name a place.
type candidate struct {
	Mention
	marker marker
	marked bool
}

// FindPlaces finds every place mention in t. expectPlace: the bot just
// asked for a place, so a name alone is likely one.
func (r *PlaceReader) FindPlaces(t Text, expectPlace bool) Mentions {
	toks := t.Tokens
	m := Mentions{Used: make([]bool, len(toks))}
	m.Street = findStreet(t, m.Used)
	// A landmark's name is read as no place, and still by the matter
	// reader ("đại học xác nhận sinh viên").
	notPlace := slices.Clone(m.Used)
	markLandmarks(t, notPlace)
	cands := r.candidates(t, notPlace)
	// Context the bare names are judged in: a district or province named
	// on purpose, a message that is nothing but names.
	var named []candidate
	districtNamed := false
	for _, c := range cands {
		if c.marked && c.Score >= markedThreshold {
			named = append(named, c)
			districtNamed = districtNamed || c.Level == names.LevelDistrict
		}
	}
	for i := range cands {
		c := &cands[i]
		agrees := agreesWithNamed(*c, named)
		switch {
		case !c.marked:
			c.Score += r.bareEvidence(t, c, expectPlace, agrees)
		case agrees:
			// "phuong tan phu thanh pho pho yen": Tân Phú in Phổ Yên, not
			// "Tân Phú Thạnh" running into the district's type word.
			c.Score += 3
		}
	}
	// A name after its type word was named on purpose: those are taken
	// first, then names standing alone, each by their evidence.
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].marked != cands[j].marked {
			return cands[i].marked
		}
		if cands[i].Score != cands[j].Score {
			return cands[i].Score > cands[j].Score
		}
		return cands[i].End-cands[i].Start > cands[j].End-cands[j].Start
	})
	var bare []Mention
	for _, c := range cands {
		threshold := markedThreshold
		if !c.marked {
			threshold = bareThreshold
		}
		if c.Score < threshold || anyUsed(m.Used, c.Start, c.End) {
			continue
		}
		if !c.marked && c.Level == names.LevelDistrict && districtNamed && len(c.Wards) > 0 {
			// "Tân Phước, huyện Tân Thành": beside a district named on
			// purpose, a name that is both a district and a commune is the
			// commune.
			c.Level, c.Districts = names.LevelWard, nil
		}
		if !c.marked && c.Level == names.LevelWard {
			bare = append(bare, c.Mention)
			markUsed(m.Used, c.Start, c.End)
			continue
		}
		m.add(c.Mention)
	}
	// Communes named on purpose come first: the answer names the first.
	for _, b := range bare {
		m.addWard(b)
	}
	r.unmatchedMarkers(t, &m)
	return m
}

// Evidence thresholds: a name after its type word, a name standing alone.
const (
	markedThreshold = 1.0
	bareThreshold   = 2.75
)

// candidates lists every span that names a place in the index, with the
// evidence that does not depend on the rest of the message.
func (r *PlaceReader) candidates(t Text, used []bool) []candidate {
	toks := t.Tokens
	p := r.places
	maxN := p.MaxWords()
	var out []candidate
	for i := 0; i < len(toks); i++ {
		if used[i] {
			continue
		}
		if mk, ok := markerAt(t, i); ok {
			start := i + mk.words
			if start < len(toks) && start < len(t.Words) && t.Words[start].Break < BreakHard {
				for n := 1; n <= maxN && start+n <= len(toks); n++ {
					if anyUsed(used, start, start+n) || t.breakInside(start, start+n) >= BreakHard {
						break
					}
					if c, ok := r.markedCandidate(t, i, mk, start, n); ok {
						out = append(out, c)
					}
				}
			}
		}
		if !p.StartsName(toks[i]) && !provinceAliasFirst[toks[i]] && districtAbbrev[toks[i]] == "" {
			continue
		}
		for n := 1; n <= maxN && i+n <= len(toks); n++ {
			if anyUsed(used, i, i+n) || t.breakInside(i, i+n) >= BreakHard {
				break
			}
			if c, ok := r.bareCandidate(t, i, n); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// markedCandidate reads the n words after a type word.
func (r *PlaceReader) markedCandidate(t Text, at int, mk marker, start, n int) (candidate, bool) {
	p := r.places
	key := t.Span(start, start+n)
	if typed, ok := t.TypedSpan(start, start+n); ok && len(p.Wards(typed))+len(p.Districts(typed)) > 0 {
		key = typed // "xa po ko": Pô Kô, not teen-code
	}
	if n == 1 && len(p.Wards(key)) == 0 && len(p.Districts(key)) == 0 && len(provinces(p, key)) == 0 {
		if k, ok := p.Respell(key); ok {
			key = k // "dakao" typed without its space
		}
	}
	if n == 1 && compoundAt(t, at) {
		return candidate{}, false // "quan trọng nhất": only a longer name after it counts
	}
	c := candidate{Mention: Mention{Start: at, End: start + n, Key: key, Marked: mk.typ}, marker: mk, marked: true}
	if mk.level == names.LevelWard {
		if w := p.Wards(key); len(w) > 0 {
			c.Level, c.Wards = names.LevelWard, w
		}
	}
	if mk.level == names.LevelDistrict || mk.level == "city" {
		if full, ok := districtAbbrev[key]; ok && mk.typ == "quan" {
			key = full
			c.Key = key
		}
		if d := p.Districts(key); len(d) > 0 {
			c.Level, c.Districts = names.LevelDistrict, d
			c.Wards = p.Wards(key) // huyện Côn Đảo is also the unit itself
		}
	}
	if c.Level == "" && (mk.level == names.LevelProvince || mk.level == "city") {
		if pr := provinces(p, key); len(pr) > 0 {
			c.Level, c.Provinces = names.LevelProvince, pr
		}
	}
	if c.Level == "" || !r.crossesDashOK(t, start, start+n, c) {
		return c, false
	}
	c.Score = 3 + 0.5*float64(n)
	switch r.spell(t, start, start+n, &c) {
	case spellAgree:
		c.Score += 1
	case spellConflict:
		c.Score -= 1.5
	}
	return c, true
}

// bareCandidate reads n words standing alone as a name.
func (r *PlaceReader) bareCandidate(t Text, i, n int) (candidate, bool) {
	p := r.places
	key := t.Span(i, i+n)
	c := candidate{Mention: Mention{Start: i, End: i + n, Key: key}}
	abbrev := false
	if full, ok := districtAbbrev[key]; ok && n == 1 && t.Words[i].Upper && key != "tp" && key != "tb" {
		key, c.Key, abbrev = full, full, true // "P5, GV": Gò Vấp, typed as its initials in capitals
	}
	switch {
	case abbrev:
		c.Level, c.Districts = names.LevelDistrict, p.Districts(key)
	case provinceAliases[key] != "" || n >= 2 && len(provinces(p, key)) > 0:
		c.Level, c.Provinces = names.LevelProvince, provinces(p, key)
	case n < 2 || names.IsNumber(key):
		return c, false
	case len(p.Districts(key)) > 0:
		c.Level, c.Districts = names.LevelDistrict, p.Districts(key)
		c.Wards = p.Wards(key) // "Củ Chi" is also Thị trấn Củ Chi
	case len(p.Wards(key)) > 0:
		c.Level, c.Wards = names.LevelWard, p.Wards(key)
	default:
		return c, false
	}
	if !r.crossesDashOK(t, i, i+n, c) {
		return c, false
	}
	c.Score = 0.5 * float64(n)
	switch {
	case provinceAliases[key] != "":
		c.Score += 2 // "hcm", "sài gòn": nothing else
	case abbrev:
		c.Score += 0.5 // "GV": only beside a commune named on purpose
	}
	if _, ok := markerWord(t.Tokens, i); ok && !t.Words[i].Cap {
		c.Score -= 2 // "phường đó", "xã này": a type word, not a name's first word
	}
	switch r.spell(t, i, i+n, &c) {
	case spellAgree:
		// Diacritics typed as the name writes them: strong with capitals,
		// weak in lower case ("nhà thái hòa" is a wish).
		c.Score += 0.5
		if allCaps(t, i, i+n) {
			c.Score += 1
		}
	case spellConflict:
		return c, false // "gia đình" typed is not "Gia Định"
	}
	return c, true
}

// bareEvidence weighs a name standing alone against its context.
func (r *PlaceReader) bareEvidence(t Text, c *candidate, expectPlace, context bool) float64 {
	s := 0.0
	if r.ordinary[c.Key] {
		s -= 3
	}
	if allCaps(t, c.Start, c.End) && !allCaps(t, 0, len(t.Tokens)) {
		s += 1.5
	}
	if c.Start > 0 && locativeWords[t.Tokens[c.Start-1]] {
		s += 1.25
	}
	if expectPlace {
		s += 2
	}
	if context {
		s += 1.5
	}
	if inHCMC(c.Wards) || hcmcDistrict(c.Districts) || hcmcProvince(c.Provinces) {
		s += 0.5
	}
	if onlyName(t, c.Start, c.End) {
		s += 2
	}
	return s
}

// agreesWithNamed reports whether a name standing alone fits a place named
// on purpose in the same message: a commune in the district or province
// named, a district in the province named, or the district of a commune
// named ("phường 12 tân bình").
func agreesWithNamed(c candidate, named []candidate) bool {
	for _, n := range named {
		if n.Start < c.End && c.Start < n.End {
			continue
		}
		nm := []Mention{n.Mention}
		for _, pl := range c.Wards {
			if len(n.Districts) > 0 && districtMatches(pl, nm) || len(n.Provinces) > 0 && provinceMatches(pl, nm) {
				return true
			}
		}
		for _, d := range c.Districts {
			for _, pr := range n.Provinces {
				if sameProvince(d.Province, pr) {
					return true
				}
			}
			for _, pl := range n.Wards {
				if districtMatches(pl, []Mention{{Districts: []knowledge.District{d}}}) {
					return true
				}
			}
		}
		for _, p := range c.Provinces {
			for _, d := range n.Districts {
				if sameProvince(d.Province, p) {
					return true
				}
			}
		}
	}
	return false
}

// sameProvince reports whether an old district's province is pr (or, for
// HCMC, one of the provinces merged into it).
func sameProvince(province string, pr knowledge.Province) bool {
	if names.ShortFold(province) == names.ShortFold(pr.Name) {
		return true
	}
	return pr.Code == "79" && hcmcDistrict([]knowledge.District{{Province: province}})
}

// crossesDashOK allows a name over a dash only when the name itself is
// written with one ("Bà Rịa - Vũng Tàu", "Phan Rang-Tháp Chàm").
func (r *PlaceReader) crossesDashOK(t Text, from, to int, c candidate) bool {
	if t.breakInside(from, to) != BreakDash {
		return true
	}
	dashed := func(s string) bool { return strings.ContainsAny(s, "-–") }
	for _, w := range c.Wards {
		if dashed(w.Name()) {
			return true
		}
	}
	for _, d := range c.Districts {
		if dashed(d.Name) {
			return true
		}
	}
	for _, pr := range c.Provinces {
		if dashed(pr.Name) {
			return true
		}
	}
	return false
}

// allCaps reports whether every typed word from..to starts with a capital,
// a sentence's first word aside (it has one anyway).
func allCaps(t Text, from, to int) bool {
	if from >= to {
		return false
	}
	if from == 0 || from < len(t.Words) && t.Words[from].Break == BreakSentence {
		if to-from == 1 {
			return false
		}
		from++
	}
	for j := from; j < to; j++ {
		if j >= len(t.Words) || !t.Words[j].Cap && !names.IsNumber(t.Tokens[j]) {
			return false
		}
	}
	return true
}

// onlyName reports whether the words around from..to are all filler
// ("bến thành", "Tân Định ạ", "nhà tôi ở Linh Trung, giờ thuộc phường nào?").
func onlyName(t Text, from, to int) bool {
	for j, tok := range t.Tokens {
		if j >= from && j < to {
			continue
		}
		if !isFiller(tok) && !placeChatter[tok] {
			return false
		}
	}
	return true
}

// unmatchedMarkers keeps what follows a commune type word that matched
// nothing ("Phường Abc") so the bot can say it does not know it, and reads
// a misspelt district after its type word.
func (r *PlaceReader) unmatchedMarkers(t Text, m *Mentions) {
	toks := t.Tokens
	for i := 0; i < len(toks); i++ {
		if m.Used[i] {
			continue
		}
		mk, ok := markerAt(t, i)
		if !ok {
			continue
		}
		start := i + mk.words
		if start >= len(toks) || m.Used[start] || t.Words[start].Break >= BreakHard {
			continue
		}
		if compoundAt(t, i) {
			continue
		}
		if mk.level != names.LevelWard {
			if men, ok := fuzzyDistrict(r.places, toks, i, start); ok {
				m.add(men)
				i = men.End - 1
			}
			continue
		}
		if isFiller(toks[start]) || t.Words[start].Expanded || !looksLikeName(t, i, mk, start) {
			continue
		}
		end := start + 1
		for end < len(toks) && end < start+3 && !m.Used[end] && !isFiller(toks[end]) && t.Words[end].Break == BreakNone {
			if _, ok := markerAt(t, end); ok {
				break
			}
			end++
		}
		m.Unknown = append(m.Unknown, Mention{Level: names.LevelWard, Start: i, End: end, Key: t.Span(start, end), Marked: mk.typ})
		markUsed(m.Used, i, end)
		i = end - 1
	}
}

// looksLikeName reports whether the words after a commune type word that
// matched nothing were meant as a name ("Phường Abc", "phường 99", "xã abc
// huyện Củ Chi"), not ordinary words after "xã" or "phường" ("cấp xã nơi
// cư trú", "đi làm xa một tháng", "ra phường nộp hồ sơ").
func looksLikeName(t Text, at int, mk marker, start int) bool {
	if names.IsNumber(t.Tokens[start]) {
		return true
	}
	if w := t.Words[start]; w.Cap {
		return !w.Upper || len(t.Tokens[start]) > 3 // "TT-BTC" is an acronym
	}
	if at > 0 && (t.Tokens[at-1] == "cap" || t.Tokens[at-1] == "ra" || t.Tokens[at-1] == "len" || t.Tokens[at-1] == "lam") {
		return false
	}
	// A short message that is the type word and a name: "phuong abc".
	return mk.words+at == start && len(t.Tokens)-start <= 3 && at <= 2
}

// fuzzyDistrict reads a misspelt district after its type word ("quận
// Bình Thach") as the one district name a letter away (two for long
// names); several such names read as none.
func fuzzyDistrict(p *knowledge.Places, toks []string, at, start int) (Mention, bool) {
	for n := min(3, len(toks)-start); n >= 1; n-- {
		key := strings.Join(toks[start:start+n], " ")
		if len(key) < 5 {
			continue
		}
		edits := 1
		if len(key) >= 10 {
			edits = 2
		}
		if ks := p.FuzzyDistricts(key, edits); len(ks) == 1 {
			return Mention{Level: names.LevelDistrict, Start: at, End: start + n, Key: ks[0], Districts: p.Districts(ks[0]), Fuzzy: true, Score: markedThreshold}, true
		}
	}
	return Mention{}, false
}

// hcmcDistrict reports whether any district is one of today's HCMC.
func hcmcDistrict(ds []knowledge.District) bool {
	for _, d := range ds {
		if strings.Contains(d.Province, "Hồ Chí Minh") || strings.Contains(d.Province, "Bình Dương") || strings.Contains(d.Province, "Vũng Tàu") {
			return true
		}
	}
	return false
}

// hcmcProvince reports whether any province is HCMC or one merged into it.
func hcmcProvince(ps []knowledge.Province) bool {
	for _, p := range ps {
		if p.Code == "79" || hcmcOldProvinces[p.Code] {
			return true
		}
	}
	return false
}

// inHCMC reports whether any reading is a place of today's HCMC.
func inHCMC(ps []knowledge.Place) bool {
	for _, p := range ps {
		if p.Kind == knowledge.PlaceNew && p.New.InHCMC() || p.Kind != knowledge.PlaceNew && hcmcOldProvinces[p.ProvCode] {
			return true
		}
	}
	return false
}

// placeChatter are the words around a place in "where am I now" questions
// ("nhà tôi ở Tân Định, giờ thuộc phường nào?", "em sống ở Linh Trung ạ").
var placeChatter = map[string]bool{
	"nha": true, "song": true, "dang": true, "hien": true, "phuong": true, "xa": true, "khu": true, "vuc": true,
	"truoc": true, "day": true, "kia": true, "ten": true, "goi": true, "con": true, "nua": true, "roi": true,
	"ve": true, "dia": true, "chi": true, "cua": true, "o": true, "nhe": true, "voi": true, "oi": true, "ban": true,
	"don": true, "vi": true, "biet": true, "xin": true, "giup": true, "tra": true, "cuu": true, "admin": true,
}

// Marked reports whether any place was named with its type word
// ("phường …", "quận …"), i.e. on purpose rather than in passing.
func (m Mentions) Marked() bool {
	for _, l := range [][]Mention{m.Wards, m.Districts, m.Provinces, m.Unknown} {
		for _, men := range l {
			if men.Marked != "" {
				return true
			}
		}
	}
	return false
}

func (m *Mentions) add(men Mention) {
	markUsed(m.Used, men.Start, men.End)
	switch men.Level {
	case names.LevelWard:
		m.Wards = append(m.Wards, men)
	case names.LevelDistrict:
		m.Districts = append(m.Districts, men)
	default:
		m.Provinces = append(m.Provinces, men)
	}
}

// addWard adds a bare commune mention whose tokens are already marked used.
func (m *Mentions) addWard(men Mention) { m.Wards = append(m.Wards, men) }

func markUsed(used []bool, from, to int) {
	for j := from; j < to && j < len(used); j++ {
		used[j] = true
	}
}

func provinces(p *knowledge.Places, key string) []knowledge.Province {
	if a, ok := provinceAliases[key]; ok {
		key = a
	}
	return p.Provinces(key)
}

func anyUsed(used []bool, from, to int) bool {
	for j := from; j < to; j++ {
		if used[j] {
			return true
		}
	}
	return false
}

// filler words never start a place name.
func isFiller(tok string) bool {
	switch tok {
	case "sau", "sap", "nhap", "gio", "nay", "thuoc", "la", "cua", "o", "tai", "thi", "va", "vao", "dau", "nao", "gi",
		"cu", "moi", "minh", "toi", "em", "cho", "hoi", "can", "lam", "muon", "duoc", "khong", "vay", "a", "nhe", "oi", "ha",
		"noi", "roi", "ma", "do", "day", "kia", "ay", "nha", "chung", "ban", "anh", "co", "dang", "hien", "vua", "khi", "neu",
		"nen", "phai", "se", "cung", "deu", "rat", "qua", "nhieu", "cac", "nhung", "voi", "den", "ve":
		return true
	}
	return false
}

// landmarkWords start the name of a place that is no unit: "sinh ở bv
// Hùng Vương" is a hospital, not Phường Hùng Vương of another province.
// Words that are also everyday words ("chợ" folds to "cho", "chùa" to
// "chua") are not here.
var landmarkWords = splitPhrases([]string{"benh vien", "sieu thi", "cong vien", "nha tho", "ben xe", "khu cong nghiep", "kcn",
	"nha van hoa", "trung tam thuong mai", "dai hoc"})

// landmarkName is the most words a landmark's name is read to.
const landmarkName = 4

// markLandmarks marks used the name after a landmark word, up to a unit
// marker ("bệnh viện quận 8": the district is read), a full stop or
// landmarkName words.
func markLandmarks(t Text, used []bool) {
	toks := t.Tokens
	for i, lw := range phraseHits(toks, landmarkWords) {
		from := i + len(lw)
		end := from
		for ; end < len(toks) && end < from+landmarkName; end++ {
			if mk, ok := markerAt(t, end); ok && mk.level != "" || end > from && t.Words[end-1].Break >= BreakHard {
				break
			}
		}
		markUsed(used, from, end)
	}
}

// streetWords start a street part of an address.
var streetWords = map[string]bool{"duong": true, "hem": true, "kiet": true, "ngo": true, "ngach": true, "so": true, "d": true}

// notStreetName are words after "đường" that make it a road, not a
// street's name ("đường trước nhà", "đường đi", "đường xá").
var notStreetName = map[string]bool{"truoc": true, "sau": true, "ben": true, "gan": true, "di": true, "bi": true,
	"xa": true, "lon": true, "nho": true, "nhua": true, "dat": true, "ngap": true, "hu": true, "xau": true, "nay": true}

// subWardWords start a part below the commune (khu phố, ấp, tổ, thôn):
// often named like a commune, so never read as one.
var subWardWords = map[string]bool{"kp": true, "khu": true, "ap": true, "to": true, "thon": true, "khom": true, "cum": true, "doi": true}

// findStreet keeps the house number and street of a pasted address and
// marks those tokens used, so a street named like a ward ("đường Lê Minh
// Xuân") is not read as one. A comma-separated part that starts with a
// house number ("290A/47 Dương Bá Trạc") or a street word is a street part.
func findStreet(t Text, used []bool) string {
	parts := strings.Split(t.Raw, ",")
	pos := 0
	var street []string
	for _, part := range parts {
		pt := t
		if len(parts) > 1 {
			pt = NewText(part)
		}
		toks := pt.Tokens
		from, to := pos, pos+len(toks)
		pos = to
		if len(toks) == 0 || to > len(used) {
			continue
		}
		isHouse := names.IsNumber(toks[0]) && (len(parts) > 1 || strings.ContainsAny(part, "/"))
		isSub := subWardWords[toks[0]] && len(toks) > 1 && (toks[0] != "to" && toks[0] != "khu" && toks[0] != "doi" || names.IsNumber(toks[1]) || toks[1] == "pho")
		// "đường Lê Lợi", not "đường trước nhà em bị ngập".
		isStreet := streetWords[toks[0]] && len(toks) > 1 && (toks[0] == "so") == names.IsNumber(toks[1]) && !isFiller(toks[1]) && !notStreetName[toks[1]]
		start := 0
		if !isHouse && !isSub && !isStreet {
			// "nhà em ở đường Nguyễn Văn Cừ p.2 q5 cũ": a street inside the
			// sentence, after "ở", "tại" or "địa chỉ".
			if start = streetInside(toks); start < 0 {
				continue
			}
		}
		// Stop at a ward or district marker, or a full stop, inside the part.
		end := len(toks)
		for j := start + 1; j < len(toks); j++ {
			if mk, ok := markerAt(pt, j); ok && mk.level != "" && j > start+1 || pt.Words[j].Break >= BreakHard {
				end = j
				break
			}
		}
		markUsed(used, from+start, from+end)
		street = append(street, strings.TrimSpace(firstWords(skipWords(part, start), end-start)))
	}
	return strings.Join(street, ", ")
}

// streetInside is where a street named inside a part begins ("ở đường
// Nguyễn Văn Cừ", "tại hẻm 12", "địa chỉ đường …"), or -1.
func streetInside(toks []string) int {
	for j := 1; j+1 < len(toks); j++ {
		if !insideStreetWords[toks[j]] || isFiller(toks[j+1]) || notStreetName[toks[j+1]] {
			continue
		}
		if prev := toks[j-1]; prev == "o" || prev == "tai" || prev == "chi" || names.IsNumber(prev) {
			return j
		}
	}
	return -1
}

// insideStreetWords start a street inside a sentence ("số" and "đ" do not:
// "số điện thoại", "đ." is read as a ward marker elsewhere).
var insideStreetWords = map[string]bool{"duong": true, "hem": true, "kiet": true, "ngo": true, "ngach": true}

// skipWords drops the leading words of s that fold to n tokens.
func skipWords(s string, n int) string {
	words := strings.Fields(s)
	count := 0
	for i, w := range words {
		if count >= n {
			return strings.Join(words[i:], " ")
		}
		count += len(NewText(w).Tokens)
	}
	return ""
}

// firstWords returns the leading words of s that fold to n tokens.
func firstWords(s string, n int) string {
	words := strings.Fields(s)
	var out []string
	count := 0
	for _, w := range words {
		if count >= n {
			break
		}
		out = append(out, w)
		count += len(NewText(w).Tokens)
	}
	return strings.Join(out, " ")
}
