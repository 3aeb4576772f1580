package knowledge

// FieldChange is one field of a row that an import or an edit changes,
// with its values as CSV cells.
type FieldChange struct {
	Field  string `json:"field"` // the CSV column
	Before string `json:"before"`
	After  string `json:"after"`
}

// RowChange is one row that an import adds, changes or removes. For an
// added row Fields has every non-empty field (Before empty); for a removed
// one every non-empty field (After empty).
type RowChange struct {
	Key    string        `json:"key"`   // id, unit code or folded phrase
	Label  string        `json:"label"` // a human name: the procedure's or the unit's name
	Fields []FieldChange `json:"fields"`
}

// Diff is what applying an import would change in the draft.
type Diff struct {
	Added   []RowChange `json:"added"`
	Changed []RowChange `json:"changed"`
	Removed []RowChange `json:"removed"`
}

// Empty reports whether the diff changes nothing.
func (d Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Changed) == 0 && len(d.Removed) == 0
}

// Import is a CSV file read against the draft: how many data rows it had,
// its bad cells (those rows are left out) and what its good rows change.
type Import struct {
	Table  string    `json:"table"`
	File   string    `json:"file"`
	Rows   int       `json:"rows"`
	Errors RowErrors `json:"errors"`
	Diff   Diff      `json:"diff"`
}

// fieldChanges compares two rows of cells column by column.
func fieldChanges(columns, before, after []string) []FieldChange {
	var out []FieldChange
	for i, c := range columns {
		if before[i] != after[i] {
			out = append(out, FieldChange{Field: c, Before: before[i], After: after[i]})
		}
	}
	return out
}
