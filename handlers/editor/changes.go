package editor

import (
	"reflect"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// tableChanges counts what the draft changes in one table against the
// published version.
type tableChanges struct {
	Table                   string
	Added, Changed, Removed int
}

// Total is the number of rows the draft changes in the table.
func (c tableChanges) Total() int { return c.Added + c.Changed + c.Removed }

// summarize counts the draft's changes per editable table.
func summarize(draft, published *knowledge.KB) []tableChanges {
	if published == nil {
		published = &knowledge.KB{}
	}
	return []tableChanges{
		count(TableProcedures, published.Procedures, draft.Procedures, func(p knowledge.Procedure) string { return p.ID }),
		count(TableOffices, offices(published.Units), offices(draft.Units), func(o office) string { return o.Code }),
		count(TableServicePoints, published.ServicePoints, draft.ServicePoints, func(s knowledge.ServicePoint) string { return s.ID }),
		count(TableCurated, published.Curated, draft.Curated, func(c knowledge.CuratedAnswer) string { return c.ID }),
		count(TableSynonyms, published.Synonyms, draft.Synonyms, func(s knowledge.Synonym) string { return s.Phrase }),
	}
}

func count[T any](table string, before, after []T, key func(T) string) tableChanges {
	c := tableChanges{Table: table}
	old := make(map[string]T, len(before))
	for _, b := range before {
		old[key(b)] = b
	}
	for _, a := range after {
		b, ok := old[key(a)]
		switch {
		case !ok:
			c.Added++
		case !reflect.DeepEqual(a, b):
			c.Changed++
		}
		delete(old, key(a))
	}
	c.Removed = len(old)
	return c
}

// office is the editable part of a unit.
type office struct {
	Code                                          string
	Address, Phone, Hotline, Hours, MapURL, Notes string
}

// offices are the office fields of the HCMC units.
func offices(units []knowledge.Unit) []office {
	var out []office
	for _, u := range units {
		if u.InHCMC() {
			out = append(out, office{u.Code, u.Address, u.Phone, u.Hotline, u.Hours, u.MapURL, u.OfficeNotes})
		}
	}
	return out
}
