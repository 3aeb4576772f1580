package search

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// Kinds of old_units documents.
const (
	KindCurrent = "current" // a commune as it stood in March 2025 (KB.Mappings)
	KindFormer  = "former"  // an older name of one (KB.History)
)

// UnitDoc is a new unit (after 1 July 2025) in the units index.
type UnitDoc struct {
	Code            string   `json:"code"` // primary key
	Name            string   `json:"name"`
	ShortName       string   `json:"short_name"`
	Type            string   `json:"type"`
	Province        string   `json:"province"`
	ProvinceCode    string   `json:"province_code"`
	FormerDistricts []string `json:"former_districts"`
}

// TargetDoc is a new unit an old unit went into.
type TargetDoc struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Share string `json:"share"` // whole | part | remainder | unchanged
}

// OldUnitDoc is an old commune in the old_units index: one per March-2025
// commune (kind current), plus one per older name (kind former) that
// leads to one, so both are found by the same query.
type OldUnitDoc struct {
	ID               string      `json:"id"` // primary key: "o26737", "f…"
	Kind             string      `json:"kind"`
	OldCode          string      `json:"old_code"`
	OldName          string      `json:"old_name"`
	OldNameGSO       string      `json:"old_name_gso"`
	OldShortNames    []string    `json:"old_short_names"` // "Đa Kao", "4", "Qui Đức"
	OldType          string      `json:"old_type"`
	OldDistrict      string      `json:"old_district"`
	OldDistrictShort string      `json:"old_district_short"` // "1", "Thủ Đức"
	OldProvince      string      `json:"old_province"`
	OldProvinceCode  string      `json:"old_province_code"`
	NewProvinceCodes []string    `json:"new_province_codes"`
	Targets          []TargetDoc `json:"targets"`
	Whole            bool        `json:"whole"` // exactly one target, taken whole
	// Former names only: the March-2025 commune the name became.
	CurrentCode     string `json:"current_code,omitempty"`
	CurrentName     string `json:"current_name,omitempty"`
	CurrentDistrict string `json:"current_district,omitempty"`
	Change          string `json:"change,omitempty"` // merged | renamed | district_changed
	Rank            int    `json:"rank"`             // 0 current, 1 former: the last tie-breaker
}

// ProcedureDoc is a procedure in the procedures index.
type ProcedureDoc struct {
	ID           string   `json:"id"` // primary key
	Name         string   `json:"name"`
	Aliases      []string `json:"aliases"`
	Field        string   `json:"field"`
	Authority    string   `json:"authority"`
	OfficeLevels []string `json:"office_levels"`
	Confidence   string   `json:"confidence"`
	// Vectors are the embeddings, with hybrid search only.
	Vectors vectors `json:"_vectors,omitempty"`
}

// CuratedDoc is an editor-approved answer in the curated index (built with
// hybrid search only): its phrasings, one embedding each.
type CuratedDoc struct {
	ID          string   `json:"id"` // primary key
	Questions   []string `json:"questions"`
	ProcedureID string   `json:"procedure_id,omitempty"`
	UnitCode    string   `json:"unit_code,omitempty"`
	Vectors     vectors  `json:"_vectors,omitempty"`
}

func unitDocs(kb *knowledge.KB) []UnitDoc {
	out := make([]UnitDoc, 0, len(kb.Units))
	for _, u := range kb.Units {
		out = append(out, UnitDoc{
			Code: u.Code, Name: u.Name, ShortName: u.ShortName, Type: u.Type,
			Province: u.Province, ProvinceCode: u.ProvinceCode,
			FormerDistricts: knowledge.SplitList(u.FormerDistricts, ";"),
		})
	}
	return out
}

func oldUnitDocs(kb *knowledge.KB) []OldUnitDoc {
	places := knowledge.NewPlaces(kb)
	newProvince := make(map[string]string, len(kb.Units))
	for _, u := range kb.Units {
		newProvince[u.Code] = u.ProvinceCode
	}
	out := make([]OldUnitDoc, 0, len(kb.Mappings)+len(kb.History))
	seen := make(map[string]bool, len(kb.Mappings))
	for _, m := range kb.Mappings {
		if seen[m.OldCode] {
			continue
		}
		seen[m.OldCode] = true
		o := places.OldUnit(m.OldCode)
		targets, provinces := targetDocs(o.Targets, newProvince)
		out = append(out, OldUnitDoc{
			ID: "o" + o.Code, Kind: KindCurrent,
			OldCode: o.Code, OldName: o.Name, OldNameGSO: o.NameGSO,
			OldShortNames: shortNames(o.Name, o.NameGSO), OldType: o.Type,
			OldDistrict: o.District, OldDistrictShort: names.Short(o.District),
			OldProvince: o.Province, OldProvinceCode: o.ProvinceCode,
			NewProvinceCodes: provinces, Targets: targets, Whole: whole(o.Targets),
		})
	}
	for _, h := range kb.History {
		o := places.OldUnit(h.CurrentCode)
		if o == nil { // a history row must lead to a March-2025 commune
			continue
		}
		targets, provinces := targetDocs(o.Targets, newProvince)
		out = append(out, OldUnitDoc{
			ID: formerID(h), Kind: KindFormer,
			OldCode: h.FormerCode, OldName: h.FormerName, OldNameGSO: h.FormerName,
			OldShortNames: shortNames(h.FormerName), OldType: formerType(h.FormerName, o.Type),
			OldDistrict: h.FormerDistrict, OldDistrictShort: names.Short(h.FormerDistrict),
			OldProvince: h.FormerProvince, OldProvinceCode: o.ProvinceCode,
			NewProvinceCodes: provinces, Targets: targets, Whole: h.Whole && whole(o.Targets),
			CurrentCode: o.Code, CurrentName: o.Name, CurrentDistrict: o.District,
			Change: h.Change, Rank: 1,
		})
	}
	return out
}

func targetDocs(ts []knowledge.Target, newProvince map[string]string) ([]TargetDoc, []string) {
	out := make([]TargetDoc, 0, len(ts))
	var provinces []string
	for _, t := range ts {
		out = append(out, TargetDoc{Code: t.Code, Name: t.Name, Share: t.Share})
		if p := newProvince[t.Code]; p != "" && !slices.Contains(provinces, p) {
			provinces = append(provinces, p)
		}
	}
	return out, provinces
}

func whole(ts []knowledge.Target) bool {
	return len(ts) == 1 && (ts[0].Share == "whole" || ts[0].Share == "unchanged")
}

// shortNames returns the distinct short forms of the names, in order.
func shortNames(full ...string) []string {
	var out []string
	for _, n := range full {
		if s := names.Short(n); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// formerType reads the type from a former name's prefix, else keeps typ.
func formerType(name, typ string) string {
	switch names.Prefix(name) {
	case "phuong":
		return "phuong"
	case "xa":
		return "xa"
	case "thi tran":
		return "thi_tran"
	}
	return typ
}

// formerID is stable across builds: the same former name, district and
// March-2025 commune always get the same id (one name may lead to several).
func formerID(h knowledge.History) string {
	f := fnv.New64a()
	fmt.Fprintf(f, "%s|%s|%s|%s", h.FormerName, h.FormerDistrict, h.FormerProvince, h.CurrentCode)
	return fmt.Sprintf("f%s_%x", h.FormerCode, f.Sum64())
}

func procedureDocs(kb *knowledge.KB) []ProcedureDoc {
	out := make([]ProcedureDoc, 0, len(kb.Procedures))
	for _, p := range kb.Procedures {
		out = append(out, ProcedureDoc{
			ID: p.ID, Name: p.Name, Aliases: distinctFolded(p.Name, p.Aliases),
			Field: p.Field, Authority: p.Authority, OfficeLevels: p.OfficeLevels,
			Confidence: p.Confidence,
		})
	}
	return out
}

// distinctFolded drops aliases that fold to the name or to an earlier alias
// (the seed lists most aliases twice, with and without diacritics, and
// Meilisearch ignores diacritics anyway).
func distinctFolded(name string, aliases []string) []string {
	seen := map[string]bool{names.Fold(name): true}
	var out []string
	for _, a := range aliases {
		f := names.Fold(a)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, strings.TrimSpace(a))
	}
	return out
}

// curatedDocs are the curated answers that have an answer and phrasings.
func curatedDocs(kb *knowledge.KB) []CuratedDoc {
	out := make([]CuratedDoc, 0, len(kb.Curated))
	for _, c := range kb.Curated {
		var qs []string
		for _, q := range c.Questions {
			if q = strings.TrimSpace(q); q != "" {
				qs = append(qs, q)
			}
		}
		if strings.TrimSpace(c.Answer) == "" || len(qs) == 0 {
			continue
		}
		out = append(out, CuratedDoc{ID: c.ID, Questions: qs, ProcedureID: c.ProcedureID, UnitCode: c.UnitCode})
	}
	return out
}
