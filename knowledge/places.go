package knowledge

import (
	"sort"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// Target is one new unit an old unit went into, whole or in part.
type Target struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Share      string `json:"share"` // whole | part | remainder | unchanged
	Resolution string `json:"resolution"`
	Clause     string `json:"clause"`
}

// OldUnit is a commune as it stood in March 2025 (before the July reform)
// with every new unit it went into.
type OldUnit struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	NameGSO      string   `json:"name_gso"`
	Type         string   `json:"type"`
	District     string   `json:"district"`
	Province     string   `json:"province"`
	ProvinceCode string   `json:"province_code"`
	Targets      []Target `json:"targets"`
}

// Split reports whether the old unit went into more than one new unit.
func (o *OldUnit) Split() bool { return len(o.Targets) > 1 }

// FormerUnit is an older name (2018 → March 2025) with the March-2025
// units it leads to (several when it was split).
type FormerUnit struct {
	Name     string     `json:"name"`
	District string     `json:"district"`
	Province string     `json:"province"`
	Steps    []History  `json:"steps"` // one per March-2025 unit it leads to
	Via      []*OldUnit `json:"-"`
}

// PlaceKind says which layer a name belongs to.
type PlaceKind string

// Place kinds.
const (
	PlaceOld    PlaceKind = "old"    // a March-2025 commune
	PlaceFormer PlaceKind = "former" // an older name (HISTORY.md)
	PlaceNew    PlaceKind = "new"    // a unit after 1 July 2025
)

// Place is one thing a written name can refer to.
type Place struct {
	Kind     PlaceKind
	Type     string // phuong | xa | thi_tran | dac_khu | huyen
	District string // old district (old, former); "" for new units
	Province string // old province (old, former) or new province (new)
	ProvCode string // province code of the district's time (old: old code; new: new code)
	Old      *OldUnit
	Former   *FormerUnit
	New      *Unit
}

// Name is the place's official name.
func (p Place) Name() string {
	switch p.Kind {
	case PlaceOld:
		return p.Old.Name
	case PlaceFormer:
		return p.Former.Name
	default:
		return p.New.Name
	}
}

// Targets returns the new units the place leads to today, deduplicated in a
// stable order. A new unit leads to itself.
func (p Place) Targets() []Target {
	switch p.Kind {
	case PlaceOld:
		return p.Old.Targets
	case PlaceNew:
		return []Target{{Code: p.New.Code, Name: p.New.Name, Share: "unchanged", Resolution: p.New.Resolution, Clause: p.New.ResolutionClause}}
	}
	var out []Target
	seen := map[string]bool{}
	for _, o := range p.Former.Via {
		for _, t := range o.Targets {
			if !seen[t.Code] {
				seen[t.Code] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// District is an old district (quận/huyện/thị xã/thành phố) name, current
// in March 2025 or former, with the March-2025 district(s) it means.
type District struct {
	Name     string
	Province string
	Current  []string // March-2025 district names this name stands for
	Former   *DistrictAlias
}

// Province is an old or new province name.
type Province struct {
	Name string
	Code string // old province code for old provinces, new code otherwise
	New  bool
}

// Places indexes every place name of a KB by its folded short form
// ("da kao", "1", "thu duc"). Built once per KB version; read-only after.
type Places struct {
	kb        *KB
	oldByCode map[string]*OldUnit
	units     map[string]*Unit
	wards     map[string][]Place // old, former and new communes
	districts map[string][]District
	provinces map[string][]Province
	maxWords  int
	newByOld  map[string][]*OldUnit // new code → old units that went into it
	joined    map[string]string     // "dakao" → "da kao", for names typed without spaces
	firsts    map[string]bool       // the first word of every name
	// byFormerDistrict are the older communes of a former district
	// ("Quận 2|Thành phố Hồ Chí Minh"), in the history's order.
	byFormerDistrict map[string][]*FormerUnit
}

// NewPlaces builds the name index of a KB.
func NewPlaces(kb *KB) *Places {
	p := &Places{
		kb:        kb,
		oldByCode: map[string]*OldUnit{},
		units:     map[string]*Unit{},
		wards:     map[string][]Place{},
		districts: map[string][]District{},
		provinces: map[string][]Province{},
		newByOld:  map[string][]*OldUnit{},
		joined:    map[string]string{},
		firsts:    map[string]bool{},

		byFormerDistrict: map[string][]*FormerUnit{},
	}
	for i := range kb.Units {
		u := &kb.Units[i]
		p.units[u.Code] = u
	}
	var order []*OldUnit
	for _, m := range kb.Mappings {
		o := p.oldByCode[m.OldCode]
		if o == nil {
			o = &OldUnit{Code: m.OldCode, Name: m.OldName, NameGSO: m.OldNameGSO, Type: m.OldType,
				District: m.OldDistrict, Province: m.OldProvince, ProvinceCode: m.OldProvinceCode}
			p.oldByCode[m.OldCode] = o
			order = append(order, o)
		}
		o.Targets = append(o.Targets, Target{Code: m.NewCode, Name: m.NewName, Share: m.Share, Resolution: m.Resolution, Clause: m.Clause})
	}
	seenDistrict := map[string]bool{}
	seenProvince := map[string]bool{}
	for _, o := range order {
		// Whole target first, then parts in the file's order.
		sort.SliceStable(o.Targets, func(i, j int) bool { return shareRank(o.Targets[i].Share) < shareRank(o.Targets[j].Share) })
		pl := Place{Kind: PlaceOld, Type: o.Type, District: o.District, Province: o.Province, ProvCode: o.ProvinceCode, Old: o}
		p.addWard(o.Name, pl)
		if o.NameGSO != o.Name {
			p.addWard(o.NameGSO, pl)
		}
		for _, t := range o.Targets {
			p.newByOld[t.Code] = append(p.newByOld[t.Code], o)
		}
		if !seenDistrict[o.District+"|"+o.Province] {
			seenDistrict[o.District+"|"+o.Province] = true
			p.addDistrict(District{Name: o.District, Province: o.Province, Current: []string{o.District}})
		}
		if !seenProvince[o.Province] {
			seenProvince[o.Province] = true
			p.addProvince(o.Province, Province{Name: o.Province, Code: o.ProvinceCode})
		}
	}
	for i := range kb.Units {
		u := &kb.Units[i]
		p.addWard(u.Name, Place{Kind: PlaceNew, Type: u.Type, Province: u.Province, ProvCode: u.ProvinceCode, New: u})
		if !seenProvince[u.Province] {
			seenProvince[u.Province] = true
			p.addProvince(u.Province, Province{Name: u.Province, Code: u.ProvinceCode, New: true})
		}
	}
	p.addFormer(kb.History)
	for i := range kb.Aliases {
		a := &kb.Aliases[i]
		p.addDistrict(District{Name: a.FormerDistrict, Province: a.FormerProvince, Current: []string{a.CurrentDistrict}, Former: a})
	}
	return p
}

func shareRank(s string) int {
	switch s {
	case "whole", "unchanged":
		return 0
	case "part":
		return 1
	default:
		return 2
	}
}

func (p *Places) addFormer(rows []History) {
	byKey := map[string]*FormerUnit{}
	var order []*FormerUnit
	for _, h := range rows {
		key := h.FormerName + "|" + h.FormerDistrict
		f := byKey[key]
		if f == nil {
			f = &FormerUnit{Name: h.FormerName, District: h.FormerDistrict, Province: h.FormerProvince}
			byKey[key] = f
			order = append(order, f)
		}
		f.Steps = append(f.Steps, h)
		if o := p.oldByCode[h.CurrentCode]; o != nil {
			f.Via = append(f.Via, o)
		}
	}
	for _, f := range order {
		if len(f.Via) == 0 {
			continue
		}
		key := f.District + "|" + f.Province
		p.byFormerDistrict[key] = append(p.byFormerDistrict[key], f)
		typ := f.Via[0].Type
		switch names.Prefix(f.Name) {
		case "phuong":
			typ = "phuong"
		case "xa":
			typ = "xa"
		case "thi tran":
			typ = "thi_tran"
		}
		p.addWard(f.Name, Place{Kind: PlaceFormer, Type: typ, District: f.District, Province: f.Province, ProvCode: f.Via[0].ProvinceCode, Former: f})
	}
}

func (p *Places) addWard(name string, pl Place) {
	key := names.ShortFold(name)
	for _, existing := range p.wards[key] {
		if samePlace(existing, pl) {
			return
		}
	}
	p.wards[key] = append(p.wards[key], pl)
	p.noteWords(key)
}

func samePlace(a, b Place) bool {
	return a.Kind == b.Kind && a.Old == b.Old && a.Former == b.Former && a.New == b.New
}

func (p *Places) addDistrict(d District) {
	key := names.ShortFold(d.Name)
	p.districts[key] = append(p.districts[key], d)
	p.noteWords(key)
}

func (p *Places) addProvince(name string, pr Province) {
	key := names.ShortFold(name)
	p.provinces[key] = append(p.provinces[key], pr)
	p.noteWords(key)
}

func (p *Places) noteWords(key string) {
	first, _, _ := strings.Cut(key, " ")
	p.firsts[first] = true
	if strings.Contains(key, " ") {
		p.joined[strings.ReplaceAll(key, " ", "")] = key
	}
	if n := strings.Count(key, " ") + 1; n > p.maxWords {
		p.maxWords = n
	}
}

// Respell returns the spaced key of a name typed as one word ("dakao" →
// "da kao", "binhthanh" → "binh thanh").
func (p *Places) Respell(word string) (string, bool) {
	k, ok := p.joined[word]
	return k, ok
}

// StartsName reports whether some name begins with the folded word.
func (p *Places) StartsName(word string) bool { return p.firsts[word] }

// MaxWords is the longest name, in folded words.
func (p *Places) MaxWords() int { return p.maxWords }

// Wards returns the communes (old, former, new) whose folded short name is key.
func (p *Places) Wards(key string) []Place { return p.wards[key] }

// Districts returns the old districts whose folded short name is key.
func (p *Places) Districts(key string) []District { return p.districts[key] }

// Provinces returns the provinces whose folded short name is key.
func (p *Places) Provinces(key string) []Province { return p.provinces[key] }

// OldUnit returns the March-2025 commune with that old code.
func (p *Places) OldUnit(code string) *OldUnit { return p.oldByCode[code] }

// Unit returns the new unit with that (new) code.
func (p *Places) Unit(code string) *Unit { return p.units[code] }

// FormerDistrictUnits are the new units that the communes of a former
// district went into, through the history of names (Quận 2, merged into
// Thành phố Thủ Đức in 2021: the units of its eleven wards, not of all of
// Thủ Đức), in order; nil when the history has no commune of it.
func (p *Places) FormerDistrictUnits(district, province string) []*Unit {
	var out []*Unit
	seen := map[string]bool{}
	for _, f := range p.byFormerDistrict[district+"|"+province] {
		for _, o := range f.Via {
			for _, t := range o.Targets {
				if u := p.units[t.Code]; u != nil && !seen[u.Code] {
					seen[u.Code] = true
					out = append(out, u)
				}
			}
		}
	}
	return out
}

// FormedFrom returns the old units that went (whole or in part) into a new unit.
func (p *Places) FormedFrom(newCode string) []*OldUnit { return p.newByOld[newCode] }

// KB returns the knowledge base the index was built from.
func (p *Places) KB() *KB { return p.kb }

// FuzzyWards returns the nearest ward keys with as many words as key,
// at most maxEdits letter edits away in all (numbers never fuzzy): "da cao"
// finds "da kao".
func (p *Places) FuzzyWards(key string, maxEdits int) []string {
	return fuzzyKeys(p.wards, key, maxEdits)
}

// FuzzyDistricts is FuzzyWards for district names ("binh thach").
func (p *Places) FuzzyDistricts(key string, maxEdits int) []string {
	return fuzzyKeys(p.districts, key, maxEdits)
}

// fuzzyKeys returns the keys nearest to key (fewest edits, at most
// maxEdits), all of them when several are equally near.
func fuzzyKeys[T any](index map[string][]T, key string, maxEdits int) []string {
	words := strings.Fields(key)
	var out []string
	best := maxEdits + 1
	for k := range index {
		kw := strings.Fields(k)
		if len(kw) != len(words) {
			continue
		}
		edits := 0
		for i := range kw {
			if kw[i] == words[i] {
				continue
			}
			if names.IsNumber(kw[i]) || names.IsNumber(words[i]) {
				edits = maxEdits + 1
				break
			}
			edits += names.OSADistance(kw[i], words[i], maxEdits-edits)
			if edits > maxEdits {
				break
			}
		}
		switch {
		case edits < best:
			best, out = edits, []string{k}
		case edits == best:
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
