package nlu

import (
	"slices"
	"sort"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// PlaceStatus is how far a message's place mentions resolve.
type PlaceStatus int

// Place statuses.
const (
	PlaceNone      PlaceStatus = iota // no place in the message
	PlaceResolved                     // exactly one new unit
	PlaceSplit                        // one old unit, several new units: ask the street or a pin
	PlaceAmbiguous                    // a name in several districts: ask which
	PlaceUnknown                      // a ward name that does not exist (there)
	PlaceDistrict                     // only a district: ask the ward
)

// PlaceReading is the understood place of a message.
type PlaceReading struct {
	Status   PlaceStatus
	Places   []knowledge.Place  // the reading(s) that won; one unit or several agreeing ones
	Targets  []knowledge.Target // new units the place leads to today
	Options  []string           // district names to offer (ambiguous) or where a name exists (unknown)
	Name     string             // the ward name as said ("Phường 1", "Abc")
	District string             // the district the citizen named, if any (official name)
	Street   string
	Mentions Mentions
}

// hcmcOldProvinces are the March-2025 provinces that now form HCMC.
var hcmcOldProvinces = map[string]bool{"79": true, "74": true, "77": true}

// newUnitQuestion words ask what a *new* unit was formed from.
var newUnitQuestion = []string{"gom nhung", "gom cac", "gom phuong", "gom xa", "hop thanh", "thanh lap tu", "sap nhap tu", "tu nhung phuong", "tu nhung xa", "truoc day la", "bao gom"}

// PlaceContext is what the conversation already says about the place.
type PlaceContext struct {
	// Pending is an old name heard earlier without its district (the
	// answer to "which district?" comes now).
	Pending string
	// ExpectPlace: the bot just asked for a place.
	ExpectPlace bool
	// District is the old district named earlier in the conversation
	// (official name): a commune named now is read in it first.
	District string
}

// Read resolves the place of a message.
func (r *PlaceReader) Read(t Text, c PlaceContext) PlaceReading {
	p := r.places
	m := r.FindPlaces(t, c.ExpectPlace)
	if len(m.Districts) > 0 {
		m.Wards = inNamedDistricts(m.Wards, m.Districts)
	}
	res := PlaceReading{Mentions: m, Street: m.Street}
	wards := m.Wards
	if len(wards) == 0 && c.Pending != "" && (len(m.Districts) > 0 || len(m.Provinces) > 0) {
		key := names.ShortFold(c.Pending)
		wards = []Mention{{Level: names.LevelWard, Key: key, Wards: p.Wards(key)}}
	}
	if len(m.Districts) > 0 {
		res.District = m.Districts[0].Districts[0].Name
	}
	if len(wards) == 0 && len(m.Unknown) > 0 {
		wards = fuzzyWards(p, m.Unknown[0])
	}
	if len(wards) == 0 && len(m.Unknown) == 0 && len(m.Districts) > 0 {
		if w := islandDistrict(m.Districts); w != nil {
			wards = []Mention{*w}
		}
	}
	if len(wards) == 0 {
		if len(m.Unknown) > 0 {
			res.Status, res.Name = PlaceUnknown, unknownLabel(m.Unknown[0])
			return res
		}
		if len(m.Districts) > 0 {
			res.Status = PlaceDistrict
			return res
		}
		return res
	}
	var heard []Mention
	if len(m.Districts) == 0 && c.District != "" {
		heard = r.districtMentions(c.District)
	}
	r2 := r.resolveWards(t, wards, m, heard)
	r2.Mentions, r2.Street, r2.District = res.Mentions, res.Street, res.District
	return r2
}

// districtMentions are the districts of an official district name heard
// earlier in the conversation.
func (r *PlaceReader) districtMentions(name string) []Mention {
	var ds []knowledge.District
	for _, d := range r.places.Districts(names.ShortFold(name)) {
		if d.Name == name {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		return nil
	}
	return []Mention{{Level: names.LevelDistrict, Districts: ds}}
}

// inNamedDistricts drops the communes named in passing (without their type
// word) that lie in none of the districts the message names: "gia dinh"
// next to "quận 3" was not a place. A commune named on purpose stays, so
// the bot can say it is not in that district.
func inNamedDistricts(ws []Mention, ds []Mention) []Mention {
	out := ws[:0:0]
	for _, w := range ws {
		if w.Marked == "" && !slices.ContainsFunc(w.Wards, func(pl knowledge.Place) bool { return districtMatches(pl, ds) }) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// resolveWards scores every reading of the commune mentions against the
// districts and provinces named in the message (or heard before) and
// settles on one place, a split, an ambiguity or nothing.
func (r *PlaceReader) resolveWards(t Text, wards []Mention, m Mentions, heard []Mention) PlaceReading {
	var res PlaceReading
	askNew := containsAny(t.Folded, newUnitQuestion)
	type scored struct {
		pl    knowledge.Place
		score float64
		name  string
	}
	var all []scored
	for _, w := range wards {
		for _, pl := range w.Wards {
			s, ok := scorePlace(pl, w, m, askNew)
			if ok && len(heard) > 0 && districtMatches(pl, heard) {
				s += 10
			}
			if ok {
				all = append(all, scored{pl, s, w.Key})
			}
		}
	}
	res.Name = wardLabel(wards[0])
	if len(all) == 0 {
		res.Status = PlaceUnknown
		res.Options = whereNameExists(wards)
		return res
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	top := all[0].score
	var best []knowledge.Place
	for _, s := range all {
		if s.score >= top-0.01 {
			best = append(best, s.pl)
		}
	}
	res.Places = best
	if agree(best) {
		res.Targets = best[0].Targets()
		if len(res.Targets) > 1 {
			res.Status = PlaceSplit
		} else {
			res.Status = PlaceResolved
		}
		return res
	}
	res.Status = PlaceAmbiguous
	res.Options = districtsOf(best)
	res.Name = best[0].Name() // one of the readings asked about, not a namesake elsewhere ("Xã Tân Dĩnh" for "phường tân định")
	return res
}

// islandDistrict is the district that was itself the unit (huyện Côn Đảo
// had no communes and became Đặc khu Côn Đảo): naming it names the place.
func islandDistrict(ds []Mention) *Mention {
	for _, d := range ds {
		for _, pl := range d.Wards {
			if pl.Kind == knowledge.PlaceOld && pl.Old.Type == "huyen" {
				return &Mention{Level: names.LevelWard, Start: d.Start, End: d.End, Key: d.Key, Wards: []knowledge.Place{pl}}
			}
		}
	}
	return nil
}

// fuzzyWards reads a misspelt ward name after a marker ("Phường Đa Cao")
// as the names one letter away (two for long names).
func fuzzyWards(p *knowledge.Places, u Mention) []Mention {
	words := strings.Fields(u.Key)
	for n := len(words); n >= 1; n-- {
		key := strings.Join(words[:n], " ")
		edits := 1
		if len(key) >= 10 {
			edits = 2
		}
		if len(key) < 5 {
			continue
		}
		var out []Mention
		for _, k := range p.FuzzyWards(key, edits) {
			out = append(out, Mention{Level: names.LevelWard, Start: u.Start, End: u.End, Key: k, Marked: u.Marked, Wards: p.Wards(k), Fuzzy: true})
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// scorePlace rates one reading of a ward mention against the districts and
// provinces named in the same message. ok=false excludes the reading.
func scorePlace(pl knowledge.Place, w Mention, m Mentions, askNew bool) (float64, bool) {
	score := float64(strings.Count(w.Key, " ") + 1)
	if w.Fuzzy {
		score -= 1
	}
	if w.Marked != "" {
		if w.Marked == pl.Type {
			score += 1
		} else {
			score -= 0.5
		}
	}
	inHCMC := hcmcOldProvinces[pl.ProvCode]
	if pl.Kind == knowledge.PlaceNew {
		inHCMC = pl.New.InHCMC()
		if askNew {
			score += 5
		} else {
			score -= 0.25 // an old name with the same spelling is the likelier reading
		}
	}
	if len(m.Districts) > 0 {
		if !districtMatches(pl, m.Districts) {
			return 0, false
		}
		score += 10
	}
	if len(m.Provinces) > 0 {
		if provinceMatches(pl, m.Provinces) {
			score += 3
		} else {
			score -= 5
		}
	} else if inHCMC {
		score += 2
	}
	return score, true
}

func districtMatches(pl knowledge.Place, ds []Mention) bool {
	for _, dm := range ds {
		for _, d := range dm.Districts {
			switch pl.Kind {
			case knowledge.PlaceOld:
				if sameDistrict(pl.District, pl.Province, d) {
					return true
				}
			case knowledge.PlaceFormer:
				if pl.Former.District == d.Name && (d.Province == "" || d.Province == pl.Former.Province) {
					return true
				}
				for _, st := range pl.Former.Steps {
					if sameDistrict(st.CurrentDistrict, pl.Former.Province, d) {
						return true
					}
				}
			case knowledge.PlaceNew:
				for _, fd := range strings.Split(pl.New.FormerDistricts, ";") {
					if sameDistrict(strings.TrimSpace(fd), "", d) {
						return true
					}
				}
			}
		}
	}
	return false
}

func sameDistrict(name, province string, d knowledge.District) bool {
	if province != "" && d.Province != "" && province != d.Province {
		return false
	}
	if name == d.Name {
		return true
	}
	for _, c := range d.Current {
		if c == name {
			return true
		}
	}
	return false
}

func provinceMatches(pl knowledge.Place, ps []Mention) bool {
	for _, pm := range ps {
		for _, pr := range pm.Provinces {
			if pr.Code == pl.ProvCode || (pl.Kind != knowledge.PlaceNew && pr.New && pr.Code == "79" && hcmcOldProvinces[pl.ProvCode]) {
				return true
			}
			if pl.Kind == knowledge.PlaceNew && pr.Code == "79" && pl.New.InHCMC() {
				return true
			}
		}
	}
	return false
}

// agree reports whether every reading leads to the same new units.
func agree(ps []knowledge.Place) bool {
	key := func(p knowledge.Place) string {
		var codes []string
		for _, t := range p.Targets() {
			codes = append(codes, t.Code)
		}
		sort.Strings(codes)
		return strings.Join(codes, ",")
	}
	first := key(ps[0])
	for _, p := range ps[1:] {
		if key(p) != first {
			return false
		}
	}
	return true
}

// districtsOf lists the distinct districts of ambiguous readings, HCMC first.
func districtsOf(ps []knowledge.Place) []string {
	var hcmc, other []string
	seen := map[string]bool{}
	for _, p := range ps {
		d := p.District
		if p.Kind == knowledge.PlaceNew {
			d = p.New.Name + " (mới)"
		}
		if d == "" || seen[d] {
			continue
		}
		seen[d] = true
		if hcmcOldProvinces[p.ProvCode] || (p.Kind == knowledge.PlaceNew && p.New.InHCMC()) {
			hcmc = append(hcmc, d)
		} else {
			other = append(other, d+", "+p.Province)
		}
	}
	return append(hcmc, other...)
}

// whereNameExists lists where a ward name exists when it does not exist in
// the district the citizen named.
func whereNameExists(ws []Mention) []string {
	var all []knowledge.Place
	for _, w := range ws {
		all = append(all, w.Wards...)
	}
	return districtsOf(all)
}

// typeWords are the official type words of a marker's unit type.
var typeWords = map[string]string{"phuong": "Phường", "xa": "Xã", "thi_tran": "Thị trấn", "dac_khu": "Đặc khu"}

// unknownLabel echoes a name that matched nothing as "Phường Abc".
func unknownLabel(u Mention) string {
	words := strings.Fields(u.Key)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	if t := typeWords[u.Marked]; t != "" {
		return t + " " + strings.Join(words, " ")
	}
	return strings.Join(words, " ")
}

func wardLabel(w Mention) string {
	if len(w.Wards) > 0 {
		for _, pl := range w.Wards {
			if pl.Kind != knowledge.PlaceNew {
				return pl.Name()
			}
		}
		return w.Wards[0].Name()
	}
	return w.Key
}
