package nlu

import (
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// marker is a type word before a name ("phường", "q.", "tp" …).
type marker struct {
	words int    // tokens the marker takes
	level string // names.LevelWard | LevelDistrict | LevelProvince | "city" (district or province)
	typ   string // unit type it names: phuong | xa | thi_tran | dac_khu | quan | huyen | thi_xa | thanh_pho | tinh
}

// markerAt recognises a type word at token i. Single letters count only
// where they can be nothing else ("p 15", "q 3", "f 5").
func markerAt(toks []string, i int) (marker, bool) {
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
	case "phuong", "ph", "p", "phuờng":
		return marker{1, names.LevelWard, "phuong"}, true
	case "f":
		if names.IsNumber(next) {
			return marker{1, names.LevelWard, "phuong"}, true
		}
	case "xa", "x":
		if t == "x" && !names.IsNumber(next) {
			return marker{}, false
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

// FindPlaces finds every place mention in t. A ward name standing alone
// (no "phường"/"xã" before it) counts only next to a district or province,
// or when a place is expected (the bot just asked for one): "trung tâm"
// in "trung tâm bảo trợ" is not Phường Trung Tâm.
func FindPlaces(p *knowledge.Places, t Text, expectPlace bool) Mentions {
	toks := t.Tokens
	m := Mentions{Used: make([]bool, len(toks))}
	m.Street = findStreet(t, m.Used)
	max := p.MaxWords()
	for i := 0; i < len(toks); i++ {
		if m.Used[i] {
			continue
		}
		mk, ok := markerAt(toks, i)
		if !ok {
			continue
		}
		start := i + mk.words
		found := false
		for n := min(max, len(toks)-start); n >= 1; n-- {
			if anyUsed(m.Used, start, start+n) {
				continue
			}
			key := strings.Join(toks[start:start+n], " ")
			if n == 1 {
				if k, ok := p.Respell(key); ok {
					key = k
				}
			}
			men := Mention{Start: i, End: start + n, Key: key, Marked: mk.typ}
			if mk.level == names.LevelWard {
				if w := p.Wards(key); len(w) > 0 {
					men.Level, men.Wards = names.LevelWard, w
				}
			}
			if mk.level == names.LevelDistrict || mk.level == "city" {
				if full, ok := districtAbbrev[key]; ok && mk.typ == "quan" {
					key = full
				}
				if d := p.Districts(key); len(d) > 0 {
					men.Level, men.Districts = names.LevelDistrict, d
					men.Wards = p.Wards(key) // huyện Côn Đảo is also the unit itself
				}
			}
			if men.Level == "" && (mk.level == names.LevelProvince || mk.level == "city") {
				if pr := provinces(p, key); len(pr) > 0 {
					men.Level, men.Provinces = names.LevelProvince, pr
				}
			}
			if men.Level == "" {
				continue
			}
			m.add(men)
			i = men.End - 1
			found = true
			break
		}
		if !found && mk.level != names.LevelWard && start < len(toks) {
			if men, ok := fuzzyDistrict(p, toks, i, start); ok {
				m.add(men)
				i = men.End - 1
				continue
			}
		}
		if !found && mk.level == names.LevelWard && start < len(toks) && !isFiller(toks[start]) {
			end := start + 1
			for end < len(toks) && end < start+3 && !isFiller(toks[end]) {
				if _, ok := markerAt(toks, end); ok {
					break
				}
				end++
			}
			m.Unknown = append(m.Unknown, Mention{Level: names.LevelWard, Start: i, End: end, Key: strings.Join(toks[start:end], " "), Marked: mk.typ})
			for j := i; j < end; j++ {
				m.Used[j] = true
			}
			i = end - 1
		}
	}
	// Names standing alone: at least two words, longest first.
	var bare []Mention
	for i := 0; i < len(toks); i++ {
		if m.Used[i] {
			continue
		}
		for n := min(max, len(toks)-i); n >= 1; n-- {
			if anyUsed(m.Used, i, i+n) {
				continue
			}
			key := strings.Join(toks[i:i+n], " ")
			men := Mention{Start: i, End: i + n, Key: key}
			if pr := provinces(p, key); len(pr) > 0 && (n >= 2 || provinceAliases[key] != "") {
				men.Level, men.Provinces = names.LevelProvince, pr
			} else if n < 2 {
				continue
			} else if d := p.Districts(key); len(d) > 0 && !names.IsNumber(key) {
				men.Level, men.Districts = names.LevelDistrict, d
				men.Wards = p.Wards(key) // "Củ Chi" is also Thị trấn Củ Chi
			} else if w := p.Wards(key); len(w) > 0 {
				men.Level, men.Wards = names.LevelWard, w
			} else {
				continue
			}
			if men.Level == names.LevelWard {
				bare = append(bare, men)
			} else {
				m.add(men)
			}
			i = men.End - 1
			break
		}
	}
	accept := expectPlace || len(m.Districts) > 0 || len(m.Provinces) > 0 || onlyPlaces(toks, m.Used, bare)
	for _, men := range bare {
		if accept || locative(toks, men.Start) && inHCMC(men.Wards) {
			m.add(men)
		}
	}
	return m
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
			return Mention{Level: names.LevelDistrict, Start: at, End: start + n, Key: ks[0], Districts: p.Districts(ks[0]), Fuzzy: true}, true
		}
	}
	return Mention{}, false
}

// locative reports whether the word before position i is "ở" or "tại"
// ("làm khai sinh ở Tân Định").
func locative(toks []string, i int) bool {
	return i > 0 && (toks[i-1] == "o" || toks[i-1] == "tai")
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

// onlyPlaces reports whether a message is nothing but bare names and
// filler ("bến thành", "Tân Định ạ").
func onlyPlaces(toks []string, used []bool, bare []Mention) bool {
	if len(bare) == 0 {
		return false
	}
	in := make([]bool, len(toks))
	for _, b := range bare {
		for j := b.Start; j < b.End; j++ {
			in[j] = true
		}
	}
	for j, t := range toks {
		if !in[j] && !used[j] && !isFiller(t) && !placeChatter[t] {
			return false
		}
	}
	return true
}

// placeChatter are the words around a place in "where am I now" questions
// ("nhà tôi ở Tân Định, giờ thuộc phường nào?", "em sống ở Linh Trung ạ").
var placeChatter = map[string]bool{
	"nha": true, "song": true, "dang": true, "hien": true, "phuong": true, "xa": true, "khu": true, "vuc": true,
	"truoc": true, "day": true, "kia": true, "ten": true, "goi": true, "con": true, "nua": true, "roi": true,
	"ve": true, "dia": true, "chi": true, "cua": true, "o": true, "nhe": true, "voi": true, "oi": true, "ban": true,
	"don": true, "vi": true, "biet": true, "xin": true, "giup": true, "tra": true, "cuu": true,
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
	for j := men.Start; j < men.End; j++ {
		m.Used[j] = true
	}
	switch men.Level {
	case names.LevelWard:
		m.Wards = append(m.Wards, men)
	case names.LevelDistrict:
		m.Districts = append(m.Districts, men)
	default:
		m.Provinces = append(m.Provinces, men)
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
		"cu", "moi", "minh", "toi", "em", "cho", "hoi", "can", "lam", "muon", "duoc", "khong", "vay", "a", "nhe", "oi", "ha":
		return true
	}
	return false
}

// streetWords start a street part of an address.
var streetWords = map[string]bool{"duong": true, "hem": true, "kiet": true, "ngo": true, "ngach": true, "so": true, "d": true}

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
		toks := strings.Fields(NewText(part).Folded)
		from, to := pos, pos+len(toks)
		pos = to
		if len(toks) == 0 || to > len(used) {
			continue
		}
		isHouse := names.IsNumber(toks[0]) && (len(parts) > 1 || strings.ContainsAny(part, "/"))
		isSub := subWardWords[toks[0]] && len(toks) > 1 && (toks[0] != "to" && toks[0] != "khu" && toks[0] != "doi" || names.IsNumber(toks[1]) || toks[1] == "pho")
		isStreet := streetWords[toks[0]] && len(toks) > 1 && (toks[0] == "so") == names.IsNumber(toks[1])
		if !isHouse && !isSub && !isStreet {
			continue
		}
		// Stop at a ward or district marker inside the same part.
		end := len(toks)
		for j := 1; j < len(toks); j++ {
			if mk, ok := markerAt(toks, j); ok && mk.level != "" && j > 1 {
				end = j
				break
			}
		}
		for j := from; j < from+end; j++ {
			used[j] = true
		}
		street = append(street, strings.TrimSpace(firstWords(part, end)))
	}
	return strings.Join(street, ", ")
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
		count += len(strings.Fields(NewText(w).Folded))
	}
	return strings.Join(out, " ")
}
