package knowledge

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// ParseUnits reads a units CSV (hcmc_units.csv or vn_units.csv). Units of
// hcmc_units.csv, which has no province columns, get province 79.
func ParseUnits(r io.Reader, file string) ([]Unit, RowErrors, error) {
	t, err := readTable(r, file, []string{"code", "name", "type", "short_name", "resolution"})
	if err != nil {
		return nil, nil, err
	}
	_, hasProvince := t.index["new_province_code"]
	var out []Unit
	t.each(func() {
		u := Unit{
			Code:             t.code("code", 5),
			Name:             t.str("name", true),
			Type:             t.oneOf("type", "phuong", "xa", "dac_khu"),
			ShortName:        t.str("short_name", true),
			FormerProvince:   t.str("former_province", false),
			FormerDistricts:  t.str("former_districts", false),
			OldUnits:         t.integer("old_units"),
			Resolution:       t.str("resolution", true),
			ResolutionClause: t.str("resolution_clause", false),
			Address:          t.str("address", false),
			Phone:            t.str("phone", false),
			Province:         "Thành phố Hồ Chí Minh",
			ProvinceCode:     HCMCProvinceCode,
		}
		if hasProvince {
			u.Province = t.str("new_province", true)
			u.ProvinceCode = t.code("new_province_code", 2)
		}
		if t.ok() {
			out = append(out, u)
		}
	})
	return out, t.errs, nil
}

// ParseMappings reads hcmc_mapping.csv or vn_mapping.csv.
func ParseMappings(r io.Reader, file string) ([]Mapping, RowErrors, error) {
	t, err := readTable(r, file, []string{"old_code", "old_name", "old_district", "old_province", "new_code", "new_name", "whole", "share"})
	if err != nil {
		return nil, nil, err
	}
	var out []Mapping
	t.each(func() {
		m := Mapping{
			OldCode:         t.code("old_code", 5, 3),
			OldName:         t.str("old_name", true),
			OldNameGSO:      t.str("old_name_gso", false),
			OldType:         t.oneOf("old_type", "phuong", "xa", "thi_tran", "huyen"),
			OldDistrict:     t.str("old_district", true),
			OldDistrictCode: t.str("old_district_code", false),
			OldProvince:     t.str("old_province", true),
			OldProvinceCode: t.str("old_province_code", false),
			NewCode:         t.code("new_code", 5),
			NewName:         t.str("new_name", true),
			NewProvince:     t.str("new_province", false),
			NewProvinceCode: t.str("new_province_code", false),
			Whole:           t.boolean("whole"),
			Share:           t.oneOf("share", "whole", "part", "remainder", "unchanged"),
			PartKind:        t.str("part_kind", false),
			Resolution:      t.str("resolution", false),
			Clause:          t.str("resolution_clause", false),
			Status:          t.str("status", false),
		}
		if m.OldNameGSO == "" {
			m.OldNameGSO = m.OldName
		}
		if t.ok() {
			out = append(out, m)
		}
	})
	return out, t.errs, nil
}

// ParseHistory reads hcmc_history.csv.
func ParseHistory(r io.Reader, file string) ([]History, RowErrors, error) {
	t, err := readTable(r, file, []string{"former_name", "former_district", "current_name", "current_district", "current_code", "whole", "change", "resolution", "effective"})
	if err != nil {
		return nil, nil, err
	}
	var out []History
	t.each(func() {
		h := History{
			FormerName:      t.str("former_name", true),
			FormerDistrict:  t.str("former_district", true),
			FormerProvince:  t.str("former_province", false),
			FormerCode:      t.str("former_code", false),
			CurrentName:     t.str("current_name", true),
			CurrentDistrict: t.str("current_district", true),
			CurrentCode:     t.code("current_code", 5),
			Whole:           t.boolean("whole"),
			Change:          t.oneOf("change", "merged", "renamed", "district_changed"),
			Resolutions:     t.list("resolution", ";", true),
			Effective:       t.date("effective"),
			Source:          t.str("source", false),
		}
		if t.ok() {
			out = append(out, h)
		}
	})
	return out, t.errs, nil
}

// ParseDistrictAliases reads hcmc_district_aliases.csv.
func ParseDistrictAliases(r io.Reader, file string) ([]DistrictAlias, RowErrors, error) {
	t, err := readTable(r, file, []string{"former_district", "current_district", "change", "resolution", "effective"})
	if err != nil {
		return nil, nil, err
	}
	var out []DistrictAlias
	t.each(func() {
		a := DistrictAlias{
			FormerDistrict:  t.str("former_district", true),
			FormerProvince:  t.str("former_province", false),
			CurrentDistrict: t.str("current_district", true),
			Change:          t.str("change", true),
			Resolutions:     t.list("resolution", ";", true),
			Effective:       t.date("effective"),
			Source:          t.str("source", false),
		}
		if t.ok() {
			out = append(out, a)
		}
	})
	return out, t.errs, nil
}

// ProcedureColumns are the columns of procedures.csv, in export order.
var ProcedureColumns = []string{"id", "name", "aliases", "field", "authority", "office_levels", "jurisdiction_basis",
	"file_anywhere", "online", "processing_time", "fee", "documents", "legal_basis", "source_url", "confidence", "examples"}

// ParseProcedures reads procedures.csv.
func ParseProcedures(r io.Reader, file string) ([]Procedure, RowErrors, error) {
	t, err := readTable(r, file, []string{"id", "name", "authority", "office_levels"})
	if err != nil {
		return nil, nil, err
	}
	var out []Procedure
	seen := map[string]bool{}
	t.each(func() {
		p := Procedure{
			ID:                t.str("id", true),
			Name:              t.str("name", true),
			Aliases:           t.list("aliases", "|", false),
			Field:             t.str("field", false),
			Authority:         t.str("authority", true),
			OfficeLevels:      t.list("office_levels", "|", true),
			JurisdictionBasis: t.str("jurisdiction_basis", false),
			FileAnywhere:      t.oneOf("file_anywhere", "yes", "no", "unknown"),
			Online:            t.oneOf("online", "yes", "partial", "no", "unknown"),
			ProcessingTime:    t.str("processing_time", false),
			Fee:               t.str("fee", false),
			Documents:         t.list("documents", ";", false),
			LegalBasis:        t.str("legal_basis", false),
			SourceURLs:        t.list("source_url", "|", false),
			Confidence:        t.oneOf("confidence", "high", "medium", "low"),
			Examples:          t.list("examples", "|", false),
		}
		for _, l := range p.OfficeLevels {
			switch l {
			case LevelCommune, LevelCommunePolice, LevelLandOffice, LevelCity, LevelOther:
			default:
				t.fail("office_levels", fmt.Sprintf("cấp %q không hợp lệ", l))
			}
		}
		for _, u := range p.SourceURLs {
			if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
				t.fail("source_url", fmt.Sprintf("%q không phải là đường dẫn http(s)", u))
			}
		}
		if p.ID != "" && seen[p.ID] {
			t.fail("id", fmt.Sprintf("mã thủ tục %q bị trùng", p.ID))
		}
		if t.ok() {
			seen[p.ID] = true
			out = append(out, p)
		}
	})
	return out, t.errs, nil
}

// ParseLandBranches reads land_registration_branches_partial.csv.
func ParseLandBranches(r io.Reader, file string) ([]LandBranch, RowErrors, error) {
	t, err := readTable(r, file, []string{"branch_no", "branch_name", "commune_unit"})
	if err != nil {
		return nil, nil, err
	}
	var out []LandBranch
	t.each(func() {
		b := LandBranch{
			BranchNo:    t.str("branch_no", true),
			BranchName:  t.str("branch_name", true),
			CommuneUnit: t.str("commune_unit", true),
			SourceURL:   t.str("source_url", false),
			Note:        t.str("note", false),
		}
		if t.ok() {
			out = append(out, b)
		}
	})
	return out, t.errs, nil
}

// ParseSynonyms reads synonyms.csv (term, means): everyday words and what
// they mean in the knowledge base's vocabulary, both folded.
func ParseSynonyms(r io.Reader, file string) (map[string]string, RowErrors, error) {
	t, err := readTable(r, file, []string{"term", "means"})
	if err != nil {
		return nil, nil, err
	}
	out := map[string]string{}
	t.each(func() {
		term, means := names.Fold(t.str("term", true)), names.Fold(t.str("means", true))
		if t.ok() && term != "" && term != means {
			out[term] = means
		}
	})
	return out, t.errs, nil
}

// SynonymList is the synonyms of ParseSynonyms as the KB holds them, sorted
// by phrase.
func SynonymList(m map[string]string) []Synonym {
	out := make([]Synonym, 0, len(m))
	for k, v := range m {
		out = append(out, Synonym{Phrase: k, Means: v})
	}
	slices.SortFunc(out, func(a, b Synonym) int { return strings.Compare(a.Phrase, b.Phrase) })
	return out
}

// ParseProcedureExamples reads procedure_examples.csv: one example
// question per row (procedure_id, example), grouped by procedure in file
// order. known, when not nil, is the set of procedure ids a row may name.
func ParseProcedureExamples(r io.Reader, file string, known map[string]bool) (map[string][]string, RowErrors, error) {
	t, err := readTable(r, file, []string{"procedure_id", "example"})
	if err != nil {
		return nil, nil, err
	}
	out := map[string][]string{}
	t.each(func() {
		id, ex := t.str("procedure_id", true), t.str("example", true)
		if id != "" && known != nil && !known[id] {
			t.fail("procedure_id", fmt.Sprintf("không có thủ tục %q", id))
		}
		if strings.Contains(ex, "|") {
			t.fail("example", "không được chứa ký tự |")
		}
		if t.ok() {
			out[id] = append(out[id], ex)
		}
	})
	return out, t.errs, nil
}
