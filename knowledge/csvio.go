package knowledge

import (
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/hoiphuong/hoiphuong/knowledge/csvcell"
	"io"
	"strings"
)

// editable is a codec with its record type hidden, so that the exported
// functions can pick one by table name.
type editable interface {
	export(w io.Writer, kb *KB) error
	read(r io.Reader, file string, draft *KB) (Import, error)
	apply(kb *KB, d Diff) error
}

func tableCodec(table string) (editable, error) {
	switch table {
	case TableProcedures:
		return procedureCodec(), nil
	case TableOffices:
		return officeCodec(), nil
	case TableServicePoints:
		return servicePointCodec(), nil
	case TableCurated:
		return curatedCodec(), nil
	case TableSynonyms:
		return synonymCodec(), nil
	}
	return nil, fmt.Errorf("unknown table %q (editable: %s)", table, strings.Join(EditableTables, ", "))
}

// ExportCSV writes one editable table of kb as CSV: UTF-8, a header row,
// list cells joined with " | " (procedures' documents with "; ", as in the
// seed). Offices are those of the 168 HCMC units. ImportCSV reads it back.
func ExportCSV(w io.Writer, kb *KB, table string) error {
	c, err := tableCodec(table)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := c.export(w, kb); err != nil {
		return fmt.Errorf("export %s: %w", table, err)
	}
	return nil
}

// ImportCSV reads a CSV file of one editable table and compares its rows
// with draft. Every bad cell is a RowError (the header is row 1) and its row
// is left out; a header without a required column is a RowError on row 1
// and nothing is compared. The good rows make the Diff: new keys are Added,
// differing ones Changed (field by field), and — except for offices, whose
// units cannot be removed — keys of the draft absent from the file are
// Removed, unless their row was bad. A key given twice is an error on the
// later row. The error is for a file that cannot be read as CSV at all.
func ImportCSV(r io.Reader, file, table string, draft *KB) (Import, error) {
	c, err := tableCodec(table)
	if err != nil {
		return Import{}, fmt.Errorf("import %s: %w", file, err)
	}
	if draft == nil {
		draft = &KB{}
	}
	return c.read(r, file, draft)
}

// ApplyDiff applies an import's diff to kb (the draft it was read against):
// added and changed rows are upserted, removed keys deleted. Every row is
// checked again; an error wrapping ErrInvalid names the first bad one.
func ApplyDiff(kb *KB, table string, d Diff) error {
	c, err := tableCodec(table)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	return c.apply(kb, d)
}

func (c codec[E]) export(w io.Writer, kb *KB) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(c.columns); err != nil {
		return err
	}
	for _, e := range c.items(kb) {
		if err := cw.Write(csvcell.EscapeRow(c.cells(e))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (c codec[E]) normal(key string) string {
	key = strings.TrimSpace(key)
	if c.normalKey != nil {
		return c.normalKey(key)
	}
	return key
}

func (c codec[E]) byKey(kb *KB) map[string]E {
	m := map[string]E{}
	for _, e := range c.items(kb) {
		m[c.key(e)] = e
	}
	return m
}

func (c codec[E]) read(r io.Reader, file string, draft *KB) (Import, error) {
	imp := Import{Table: c.name, File: file}
	t, err := readTable(r, file, c.required)
	if errors.Is(err, errMissingColumns) {
		// Reported on the header row; with no rows read, nothing changes.
		imp.Errors = c.missingColumns(file, err)
		return imp, nil
	}
	if err != nil {
		return imp, fmt.Errorf("import %s: %w", file, err)
	}
	imp.Errors = append(imp.Errors, t.errs...)
	// A record the CSV reader rejected has no known key: then nothing is
	// removed, since that row might be the one that holds a key.
	canRemove := c.remove != nil && len(t.errs) == 0
	t.errs = nil
	draftRows := c.byKey(draft)
	refs := RefsOf(draft)
	keyIdx := t.index[c.keyCol]
	seen := map[string]int{} // key → row of its good row
	seenCells := map[string][]string{}
	bad := map[string]bool{}
	imp.Rows = len(t.rows)
	for i, rec := range t.rows {
		t.row, t.rec, t.rowBad = i+2, rec, false
		key := ""
		if keyIdx < len(rec) {
			key = c.normal(rec[keyIdx])
		}
		if len(rec) != len(t.header) {
			t.fail("", fmt.Sprintf("có %d cột, cần %d", len(rec), len(t.header)))
			bad[key] = true
			continue
		}
		base, exists := draftRows[key]
		e := c.parse(cellReader{t}, base)
		if c.skip != nil && c.skip(e) {
			continue
		}
		if err := c.validate(e, refs); err != nil {
			var ps Problems
			if !errors.As(err, &ps) {
				return imp, fmt.Errorf("import %s: row %d: %w", file, t.row, err)
			}
			for _, p := range ps {
				t.fail(p.Field, p.Reason)
			}
			bad[key] = true
			continue
		}
		cells := c.cells(e)
		if prev, dup := seen[key]; dup {
			if !equalCells(cells, seenCells[key]) {
				t.fail(c.keyCol, fmt.Sprintf("mã %q bị trùng với dòng %d", key, prev))
			}
			continue
		}
		seen[key], seenCells[key] = t.row, cells
		if !exists {
			imp.Diff.Added = append(imp.Diff.Added, RowChange{Key: key, Label: c.label(e),
				Fields: fieldChanges(c.columns, make([]string, len(c.columns)), cells)})
			continue
		}
		if fc := fieldChanges(c.columns, c.cells(base), cells); len(fc) > 0 {
			imp.Diff.Changed = append(imp.Diff.Changed, RowChange{Key: key, Label: c.label(e), Fields: fc})
		}
	}
	imp.Errors = append(imp.Errors, t.errs...)
	if canRemove {
		for _, e := range c.items(draft) {
			k := c.key(e)
			if _, ok := seen[k]; ok || bad[k] {
				continue
			}
			imp.Diff.Removed = append(imp.Diff.Removed, RowChange{Key: k, Label: c.label(e),
				Fields: fieldChanges(c.columns, c.cells(e), make([]string, len(c.columns)))})
		}
	}
	return imp, nil
}

func (c codec[E]) missingColumns(file string, err error) RowErrors {
	var out RowErrors
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	for _, col := range strings.Split(msg, ", ") {
		out = append(out, RowError{File: file, Row: 1, Column: col,
			Reason: fmt.Sprintf("thiếu cột bắt buộc %q; bảng %s cần các cột: %s", col, c.name, strings.Join(c.columns, ","))})
	}
	return out
}

func equalCells(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rowOf parses one row of cells (in c.columns order) onto base.
func (c codec[E]) rowOf(cells []string, base E) E {
	t := &table{header: c.columns, index: map[string]int{}, rec: cells}
	for i, h := range c.columns {
		t.index[h] = i
	}
	return c.parse(cellReader{t}, base)
}

func (c codec[E]) apply(kb *KB, d Diff) error {
	refs := RefsOf(kb)
	current := c.byKey(kb)
	set := func(rc RowChange, base E, cells []string) error {
		for _, f := range rc.Fields {
			i := indexOf(c.columns, f.Field)
			if i < 0 {
				return fmt.Errorf("%s %q: %w: không có cột %q", c.name, rc.Key, ErrInvalid, f.Field)
			}
			cells[i] = f.After
		}
		e := c.rowOf(cells, base)
		if c.key(e) != rc.Key {
			return fmt.Errorf("%s %q: %w: mã không khớp (%q)", c.name, rc.Key, ErrInvalid, c.key(e))
		}
		if err := c.validate(e, refs); err != nil {
			return fmt.Errorf("%s %q: %w", c.name, rc.Key, err)
		}
		c.upsert(kb, e)
		return nil
	}
	for _, rc := range d.Added {
		var zero E
		if err := set(rc, zero, make([]string, len(c.columns))); err != nil {
			return err
		}
	}
	for _, rc := range d.Changed {
		base, ok := current[rc.Key]
		if !ok {
			return fmt.Errorf("%s %q: %w: không có trong bản nháp", c.name, rc.Key, ErrInvalid)
		}
		if err := set(rc, base, c.cells(base)); err != nil {
			return err
		}
	}
	for _, rc := range d.Removed {
		if c.remove == nil {
			return fmt.Errorf("%s %q: %w: không thể xoá", c.name, rc.Key, ErrInvalid)
		}
		c.remove(kb, rc.Key)
	}
	return nil
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
