package nlu

import (
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

// ReadPlace resolves the place of a message. pending is an old name heard
// earlier without its district (the answer to "which district?" comes now).
func ReadPlace(p *knowledge.Places, t Text, pending string, expectPlace bool) PlaceReading {
	m := FindPlaces(p, t, expectPlace)
	r := PlaceReading{Mentions: m, Street: m.Street}
	wards := m.Wards
	if len(wards) == 0 && pending != "" && (len(m.Districts) > 0 || len(m.Provinces) > 0) {
		key := names.ShortFold(pending)
		wards = []Mention{{Level: names.LevelWard, Key: key, Wards: p.Wards(key)}}
	}
	if len(m.Districts) > 0 {
		r.District = m.Districts[0].Districts[0].Name
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
			r.Status, r.Name = PlaceUnknown, unknownLabel(m.Unknown[0])
			return r
		}
		if len(m.Districts) > 0 {
			r.Status = PlaceDistrict
			return r
		}
		return r
	}
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
			if ok {
				all = append(all, scored{pl, s, w.Key})
			}
		}
	}
	r.Name = wardLabel(wards[0])
	if len(all) == 0 {
		r.Status = PlaceUnknown
		r.Options = whereNameExists(wards)
		return r
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	top := all[0].score
	var best []knowledge.Place
	for _, s := range all {
		if s.score >= top-0.01 {
			best = append(best, s.pl)
		}
	}
	r.Places = best
	if agree(best) {
		r.Targets = best[0].Targets()
		if len(r.Targets) > 1 {
			r.Status = PlaceSplit
		} else {
			r.Status = PlaceResolved
		}
		return r
	}
	r.Status = PlaceAmbiguous
	r.Options = districtsOf(best)
	return r
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

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
