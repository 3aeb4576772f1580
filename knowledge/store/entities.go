package store

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

func encodeLists(lists ...[]string) ([]string, error) {
	out := make([]string, len(lists))
	for i, l := range lists {
		var err error
		if out[i], err = encodeList(l); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var procedureTable = rowTable[knowledge.Procedure]{
	name: "procedures",
	cols: []string{"id", "name", "aliases", "field", "authority", "office_levels", "jurisdiction_basis",
		"file_anywhere", "online", "processing_time", "fee", "documents", "legal_basis", "source_urls", "confidence", "examples"},
	key: "id",
	values: func(p knowledge.Procedure) ([]any, error) {
		l, err := encodeLists(p.Aliases, p.OfficeLevels, p.Documents, p.SourceURLs, p.Examples)
		if err != nil {
			return nil, err
		}
		return []any{p.ID, p.Name, l[0], p.Field, p.Authority, l[1], p.JurisdictionBasis,
			p.FileAnywhere, p.Online, p.ProcessingTime, p.Fee, l[2], p.LegalBasis, l[3], p.Confidence, l[4]}, nil
	},
	scan: func(rows *sql.Rows) (p knowledge.Procedure, err error) {
		var aliases, levels, documents, urls, examples string
		if err := rows.Scan(&p.ID, &p.Name, &aliases, &p.Field, &p.Authority, &levels, &p.JurisdictionBasis,
			&p.FileAnywhere, &p.Online, &p.ProcessingTime, &p.Fee, &documents, &p.LegalBasis, &urls, &p.Confidence, &examples); err != nil {
			return p, err
		}
		return p, scanLists(aliases, &p.Aliases, levels, &p.OfficeLevels, documents, &p.Documents, urls, &p.SourceURLs, examples, &p.Examples)
	},
}

var servicePointTable = rowTable[knowledge.ServicePoint]{
	name: "service_points",
	cols: []string{"id", "name", "address", "phone", "hours", "map_url", "matters", "notes"},
	key:  "id",
	values: func(p knowledge.ServicePoint) ([]any, error) {
		l, err := encodeLists(p.Matters)
		if err != nil {
			return nil, err
		}
		return []any{p.ID, p.Name, p.Address, p.Phone, p.Hours, p.MapURL, l[0], p.Notes}, nil
	},
	scan: func(rows *sql.Rows) (p knowledge.ServicePoint, err error) {
		var matters string
		if err := rows.Scan(&p.ID, &p.Name, &p.Address, &p.Phone, &p.Hours, &p.MapURL, &matters, &p.Notes); err != nil {
			return p, err
		}
		return p, scanLists(matters, &p.Matters)
	},
}

var curatedTable = rowTable[knowledge.CuratedAnswer]{
	name: "curated_answers",
	cols: []string{"id", "questions", "answer", "procedure_id", "unit_code", "source_url", "notes",
		"legal_basis", "sources", "confidence"},
	key: "id",
	values: func(c knowledge.CuratedAnswer) ([]any, error) {
		l, err := encodeLists(c.Questions)
		if err != nil {
			return nil, err
		}
		sources, err := encodeSources(c.Sources)
		if err != nil {
			return nil, err
		}
		return []any{c.ID, l[0], c.Answer, c.ProcedureID, c.UnitCode, c.SourceURL, c.Notes,
			c.LegalBasis, sources, c.Confidence}, nil
	},
	scan: func(rows *sql.Rows) (c knowledge.CuratedAnswer, err error) {
		var questions, sources string
		if err := rows.Scan(&c.ID, &questions, &c.Answer, &c.ProcedureID, &c.UnitCode, &c.SourceURL, &c.Notes,
			&c.LegalBasis, &sources, &c.Confidence); err != nil {
			return c, err
		}
		if c.Sources, err = decodeSources(sources); err != nil {
			return c, err
		}
		return c, scanLists(questions, &c.Questions)
	},
}

// encodeSources stores sources as a JSON array (nil: none).
func encodeSources(ss []knowledge.Source) (string, error) {
	if len(ss) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(ss)
	return string(b), err
}

// decodeSources reads encodeSources's JSON; none is nil.
func decodeSources(s string) ([]knowledge.Source, error) {
	var out []knowledge.Source
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

var synonymTable = rowTable[knowledge.Synonym]{
	name: "synonyms",
	cols: []string{"phrase", "means"},
	key:  "phrase",
	values: func(s knowledge.Synonym) ([]any, error) {
		return []any{s.Phrase, s.Means}, nil
	},
	scan: func(rows *sql.Rows) (s knowledge.Synonym, err error) {
		err = rows.Scan(&s.Phrase, &s.Means)
		return s, err
	},
}

var unitTable = rowTable[knowledge.Unit]{
	name: "units",
	cols: []string{"code", "name", "type", "short_name", "former_province", "former_districts", "old_units",
		"province", "province_code", "resolution", "resolution_clause",
		"address", "phone", "hotline", "hours", "map_url", "office_notes",
		"ubnd_address", "police_address", "office_source", "office_source_url", "office_as_of", "office_confidence", "office_check"},
	key: "code",
	values: func(u knowledge.Unit) ([]any, error) {
		return []any{u.Code, u.Name, u.Type, u.ShortName, u.FormerProvince, u.FormerDistricts, u.OldUnits,
			u.Province, u.ProvinceCode, u.Resolution, u.ResolutionClause,
			u.Address, u.Phone, u.Hotline, u.Hours, u.MapURL, u.OfficeNotes,
			u.UBNDAddress, u.PoliceAddress, u.OfficeSource, u.OfficeSourceURL, u.OfficeAsOf, u.OfficeConfidence, u.OfficeCheck}, nil
	},
	scan: func(rows *sql.Rows) (u knowledge.Unit, err error) {
		err = rows.Scan(&u.Code, &u.Name, &u.Type, &u.ShortName, &u.FormerProvince, &u.FormerDistricts, &u.OldUnits,
			&u.Province, &u.ProvinceCode, &u.Resolution, &u.ResolutionClause,
			&u.Address, &u.Phone, &u.Hotline, &u.Hours, &u.MapURL, &u.OfficeNotes,
			&u.UBNDAddress, &u.PoliceAddress, &u.OfficeSource, &u.OfficeSourceURL, &u.OfficeAsOf, &u.OfficeConfidence, &u.OfficeCheck)
		return u, err
	},
}
