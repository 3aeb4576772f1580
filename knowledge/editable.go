package knowledge

import (
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// The tables editors change through the console and CSV files.
const (
	TableProcedures    = "procedures"
	TableOffices       = "offices"
	TableServicePoints = "service_points"
	TableCurated       = "curated_answers"
	TableSynonyms      = "synonyms"
)

// EditableTables lists them in the console's order.
var EditableTables = []string{TableProcedures, TableOffices, TableServicePoints, TableCurated, TableSynonyms}

// List separators of the CSV cells, as written on export. Reading splits
// on the bare character and trims, so the seed's "a|b" reads too.
const (
	listSep = " | "
	docSep  = "; " // procedures' documents, as in the seed's procedures.csv
)

// Folded returns the synonym as the knowledge base keys it: both sides
// folded (lowercase, no diacritics), see names.Fold.
func (s Synonym) Folded() Synonym {
	return Synonym{Phrase: names.Fold(s.Phrase), Means: names.Fold(s.Means)}
}

// cellReader reads the cells of one CSV row; a column the file does not
// have keeps the current value, so a file with fewer columns changes only
// the ones it has.
type cellReader struct{ t *table }

func (r cellReader) str(col, cur string) string {
	i, ok := r.t.index[col]
	if !ok || i >= len(r.t.rec) {
		return cur
	}
	return strings.TrimSpace(r.t.rec[i])
}

func (r cellReader) list(col, sep string, cur []string) []string {
	i, ok := r.t.index[col]
	if !ok || i >= len(r.t.rec) {
		return cur
	}
	return SplitList(strings.TrimSpace(r.t.rec[i]), sep)
}

func join(items []string, sep string) string { return strings.Join(items, sep) }

// codec describes one editable table: its columns, key, how a record
// becomes cells and back, how it is checked, and where it lives in a KB.
type codec[E any] struct {
	name      string
	columns   []string // export order
	required  []string // columns an import file must have
	keyCol    string
	key       func(E) string
	label     func(E) string
	cells     func(E) []string
	parse     func(r cellReader, base E) E
	validate  func(E, Refs) error
	skip      func(E) bool // rows that mean nothing (a synonym of itself)
	items     func(*KB) []E
	upsert    func(*KB, E)
	remove    func(*KB, string) // nil: rows cannot be removed
	normalKey func(string) string
}

func procedureCodec() codec[Procedure] {
	return codec[Procedure]{
		name:     TableProcedures,
		columns:  ProcedureColumns,
		required: []string{"id", "name", "authority", "office_levels"},
		keyCol:   "id",
		key:      func(p Procedure) string { return p.ID },
		label:    func(p Procedure) string { return p.Name },
		cells: func(p Procedure) []string {
			return []string{p.ID, p.Name, join(p.Aliases, listSep), p.Field, p.Authority, join(p.OfficeLevels, listSep),
				p.JurisdictionBasis, p.FileAnywhere, p.Online, p.ProcessingTime, p.Fee, join(p.Documents, docSep),
				p.LegalBasis, join(p.SourceURLs, listSep), p.Confidence, join(p.Examples, listSep)}
		},
		parse: func(r cellReader, p Procedure) Procedure {
			p.ID = r.str("id", p.ID)
			p.Name = r.str("name", p.Name)
			p.Aliases = r.list("aliases", "|", p.Aliases)
			p.Field = r.str("field", p.Field)
			p.Authority = r.str("authority", p.Authority)
			p.OfficeLevels = r.list("office_levels", "|", p.OfficeLevels)
			p.JurisdictionBasis = r.str("jurisdiction_basis", p.JurisdictionBasis)
			p.FileAnywhere = r.str("file_anywhere", p.FileAnywhere)
			p.Online = r.str("online", p.Online)
			p.ProcessingTime = r.str("processing_time", p.ProcessingTime)
			p.Fee = r.str("fee", p.Fee)
			p.Documents = r.list("documents", ";", p.Documents)
			p.LegalBasis = r.str("legal_basis", p.LegalBasis)
			p.SourceURLs = r.list("source_url", "|", p.SourceURLs)
			p.Confidence = r.str("confidence", p.Confidence)
			p.Examples = r.list("examples", "|", p.Examples)
			return p
		},
		validate: func(p Procedure, _ Refs) error { return p.Validate() },
		items:    func(kb *KB) []Procedure { return kb.Procedures },
		upsert: func(kb *KB, p Procedure) {
			kb.Procedures = upsertBy(kb.Procedures, p, func(x Procedure) string { return x.ID })
		},
		remove: func(kb *KB, id string) {
			kb.Procedures = removeBy(kb.Procedures, id, func(x Procedure) string { return x.ID })
		},
	}
}

// OfficeColumns are the columns of the offices table, in export order. The
// name is there for people reading the file; an import never changes it.
var OfficeColumns = []string{"code", "name", "address", "ubnd_address", "police_address", "phone", "hotline", "hours",
	"map_url", "office_notes", "office_source", "office_source_url", "office_as_of", "office_confidence", "office_check"}

func officeCodec() codec[Unit] {
	return codec[Unit]{
		name:     TableOffices,
		columns:  OfficeColumns,
		required: []string{"code"},
		keyCol:   "code",
		key:      func(u Unit) string { return u.Code },
		label:    func(u Unit) string { return u.Name },
		cells: func(u Unit) []string {
			return []string{u.Code, u.Name, u.Address, u.UBNDAddress, u.PoliceAddress, u.Phone, u.Hotline, u.Hours,
				u.MapURL, u.OfficeNotes, u.OfficeSource, u.OfficeSourceURL, u.OfficeAsOf, u.OfficeConfidence, u.OfficeCheck}
		},
		parse: func(r cellReader, u Unit) Unit {
			u.Code = r.str("code", u.Code)
			u.Address = r.str("address", u.Address)
			u.UBNDAddress = r.str("ubnd_address", u.UBNDAddress)
			u.PoliceAddress = r.str("police_address", u.PoliceAddress)
			u.Phone = r.str("phone", u.Phone)
			u.Hotline = r.str("hotline", u.Hotline)
			u.Hours = r.str("hours", u.Hours)
			u.MapURL = r.str("map_url", u.MapURL)
			u.OfficeNotes = r.str("office_notes", u.OfficeNotes)
			u.OfficeSource = r.str("office_source", u.OfficeSource)
			u.OfficeSourceURL = r.str("office_source_url", u.OfficeSourceURL)
			u.OfficeAsOf = r.str("office_as_of", u.OfficeAsOf)
			u.OfficeConfidence = r.str("office_confidence", u.OfficeConfidence)
			u.OfficeCheck = r.str("office_check", u.OfficeCheck)
			return u
		},
		validate: func(u Unit, refs Refs) error { return u.ValidateOffice(refs) },
		items: func(kb *KB) []Unit {
			var out []Unit
			for _, u := range kb.Units {
				if u.InHCMC() {
					out = append(out, u)
				}
			}
			return out
		},
		upsert: func(kb *KB, u Unit) {
			for i := range kb.Units {
				if kb.Units[i].Code == u.Code {
					kb.Units[i] = kb.Units[i].WithOffice(u)
				}
			}
		},
	}
}

// WithOffice returns u with the office fields of o.
func (u Unit) WithOffice(o Unit) Unit {
	u.Address, u.UBNDAddress, u.PoliceAddress = o.Address, o.UBNDAddress, o.PoliceAddress
	u.Phone, u.Hotline, u.Hours, u.MapURL, u.OfficeNotes = o.Phone, o.Hotline, o.Hours, o.MapURL, o.OfficeNotes
	u.OfficeSource, u.OfficeSourceURL, u.OfficeAsOf = o.OfficeSource, o.OfficeSourceURL, o.OfficeAsOf
	u.OfficeConfidence, u.OfficeCheck = o.OfficeConfidence, o.OfficeCheck
	return u
}

func servicePointCodec() codec[ServicePoint] {
	return codec[ServicePoint]{
		name:     TableServicePoints,
		columns:  []string{"id", "name", "address", "phone", "hours", "map_url", "matters", "notes"},
		required: []string{"id", "name", "address"},
		keyCol:   "id",
		key:      func(p ServicePoint) string { return p.ID },
		label:    func(p ServicePoint) string { return p.Name },
		cells: func(p ServicePoint) []string {
			return []string{p.ID, p.Name, p.Address, p.Phone, p.Hours, p.MapURL, join(p.Matters, listSep), p.Notes}
		},
		parse: func(r cellReader, p ServicePoint) ServicePoint {
			p.ID = r.str("id", p.ID)
			p.Name = r.str("name", p.Name)
			p.Address = r.str("address", p.Address)
			p.Phone = r.str("phone", p.Phone)
			p.Hours = r.str("hours", p.Hours)
			p.MapURL = r.str("map_url", p.MapURL)
			p.Matters = r.list("matters", "|", p.Matters)
			p.Notes = r.str("notes", p.Notes)
			return p
		},
		validate: func(p ServicePoint, refs Refs) error { return p.Validate(refs) },
		items:    func(kb *KB) []ServicePoint { return kb.ServicePoints },
		upsert: func(kb *KB, p ServicePoint) {
			kb.ServicePoints = upsertBy(kb.ServicePoints, p, func(x ServicePoint) string { return x.ID })
		},
		remove: func(kb *KB, id string) {
			kb.ServicePoints = removeBy(kb.ServicePoints, id, func(x ServicePoint) string { return x.ID })
		},
	}
}

// CuratedColumns are the columns of the curated answers table, in export
// order. Sources are written "Title — URL (YYYY-MM-DD)", separated by "|".
var CuratedColumns = []string{"id", "questions", "answer", "legal_basis", "sources", "confidence",
	"procedure_id", "unit_code", "source_url", "notes"}

func curatedCodec() codec[CuratedAnswer] {
	return codec[CuratedAnswer]{
		name:     TableCurated,
		columns:  CuratedColumns,
		required: []string{"id", "questions", "answer"},
		keyCol:   "id",
		key:      func(c CuratedAnswer) string { return c.ID },
		label: func(c CuratedAnswer) string {
			if len(c.Questions) > 0 {
				return c.Questions[0]
			}
			return c.ID
		},
		cells: func(c CuratedAnswer) []string {
			return []string{c.ID, join(c.Questions, listSep), c.Answer, c.LegalBasis, FormatSources(c.Sources), c.Confidence,
				c.ProcedureID, c.UnitCode, c.SourceURL, c.Notes}
		},
		parse: func(r cellReader, c CuratedAnswer) CuratedAnswer {
			c.ID = r.str("id", c.ID)
			c.Questions = r.list("questions", "|", c.Questions)
			c.Answer = r.str("answer", c.Answer)
			c.ProcedureID = r.str("procedure_id", c.ProcedureID)
			c.UnitCode = r.str("unit_code", c.UnitCode)
			c.SourceURL = r.str("source_url", c.SourceURL)
			c.Notes = r.str("notes", c.Notes)
			c.LegalBasis = r.str("legal_basis", c.LegalBasis)
			if i, ok := r.t.index["sources"]; ok && i < len(r.t.rec) {
				c.Sources = ParseSources(strings.TrimSpace(r.t.rec[i]))
			}
			c.Confidence = r.str("confidence", c.Confidence)
			return c
		},
		validate: func(c CuratedAnswer, refs Refs) error { return c.Validate(refs) },
		items:    func(kb *KB) []CuratedAnswer { return kb.Curated },
		upsert: func(kb *KB, c CuratedAnswer) {
			kb.Curated = upsertBy(kb.Curated, c, func(x CuratedAnswer) string { return x.ID })
		},
		remove: func(kb *KB, id string) {
			kb.Curated = removeBy(kb.Curated, id, func(x CuratedAnswer) string { return x.ID })
		},
	}
}

// synonymCodec reads the seed's synonyms.csv columns (term, means; a note
// column is ignored). Both sides are folded, and a row whose two sides fold
// to the same words is a no-op, skipped without an error.
func synonymCodec() codec[Synonym] {
	return codec[Synonym]{
		name:     TableSynonyms,
		columns:  []string{"term", "means"},
		required: []string{"term", "means"},
		keyCol:   "term",
		key:      func(s Synonym) string { return s.Phrase },
		label:    func(s Synonym) string { return s.Phrase },
		cells:    func(s Synonym) []string { return []string{s.Phrase, s.Means} },
		parse: func(r cellReader, s Synonym) Synonym {
			return Synonym{Phrase: r.str("term", s.Phrase), Means: r.str("means", s.Means)}.Folded()
		},
		validate: func(s Synonym, _ Refs) error { return s.Validate() },
		skip:     func(s Synonym) bool { return s.Phrase != "" && s.Phrase == s.Means },
		items:    func(kb *KB) []Synonym { return kb.Synonyms },
		upsert: func(kb *KB, s Synonym) {
			kb.Synonyms = upsertBy(kb.Synonyms, s, func(x Synonym) string { return x.Phrase })
		},
		remove: func(kb *KB, phrase string) {
			kb.Synonyms = removeBy(kb.Synonyms, phrase, func(x Synonym) string { return x.Phrase })
		},
		normalKey: names.Fold,
	}
}

func upsertBy[E any](s []E, e E, key func(E) string) []E {
	k := key(e)
	for i := range s {
		if key(s[i]) == k {
			s[i] = e
			return s
		}
	}
	return append(s, e)
}

func removeBy[E any](s []E, k string, key func(E) string) []E {
	out := s[:0:0]
	for _, e := range s {
		if key(e) != k {
			out = append(out, e)
		}
	}
	return out
}
