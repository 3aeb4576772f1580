package knowledge

import (
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/hoiphuong/hoiphuong/knowledge/csvcell"
	"io"
	"strconv"
	"strings"
	"time"
)

// RowError reports one bad cell of a CSV file: which file, which row
// (counted as in a spreadsheet: the header is row 1, the first data row 2),
// which column and why. Good rows are still imported.
type RowError struct {
	File   string `json:"file"`
	Row    int    `json:"row"` // spreadsheet line number: the header is row 1
	Column string `json:"column"`
	Reason string `json:"reason"`
}

func (e RowError) Error() string {
	return fmt.Sprintf("%s: row %d, column %q: %s", e.File, e.Row, e.Column, e.Reason)
}

// RowErrors is a list of RowError that is itself an error.
type RowErrors []RowError

func (es RowErrors) Error() string {
	if len(es) == 0 {
		return "no row errors"
	}
	var b strings.Builder
	for i, e := range es {
		if i == 5 {
			fmt.Fprintf(&b, "; … and %d more", len(es)-5)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// table reads a CSV with a header row and gives typed access to cells by
// column name, collecting errors per row instead of stopping at the first.
type table struct {
	file   string
	header []string
	index  map[string]int
	rows   [][]string
	errs   RowErrors
	row    int // spreadsheet row number of the current record
	rec    []string
	rowBad bool
}

// errMissingColumns is returned when the header lacks required columns.
var errMissingColumns = errors.New("missing required columns")

func readTable(r io.Reader, file string, required []string) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: read header: %w", file, err)
	}
	t := &table{file: file, index: map[string]int{}}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		t.header = append(t.header, h)
		t.index[h] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: %w: %s", file, errMissingColumns, strings.Join(missing, ", "))
	}
	line := 1
	for {
		rec, err := cr.Read()
		line++
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				t.errs = append(t.errs, RowError{File: file, Row: pe.StartLine, Column: "", Reason: "dòng CSV không hợp lệ: " + pe.Err.Error()})
				continue
			}
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		for i, c := range rec {
			rec[i] = csvcell.Unescape(c) // an export's "'=…" reads back as "=…"
		}
		t.rows = append(t.rows, rec)
	}
	return t, nil
}

// each calls fn for every record; fn reads cells with the getters. A record
// on which any getter failed is skipped by the caller via ok().
func (t *table) each(fn func()) {
	for i, rec := range t.rows {
		t.row = i + 2
		t.rec = rec
		t.rowBad = false
		if len(rec) != len(t.header) {
			t.fail("", fmt.Sprintf("có %d cột, cần %d", len(rec), len(t.header)))
			continue
		}
		fn()
	}
}

func (t *table) ok() bool { return !t.rowBad }

func (t *table) fail(col, reason string) {
	t.rowBad = true
	t.errs = append(t.errs, RowError{File: t.file, Row: t.row, Column: col, Reason: reason})
}

// str returns the trimmed cell; required cells must not be empty.
func (t *table) str(col string, required bool) string {
	i, ok := t.index[col]
	if !ok {
		return ""
	}
	v := strings.TrimSpace(t.rec[i])
	if required && v == "" {
		t.fail(col, "bắt buộc, đang để trống")
	}
	return v
}

// code returns a numeric code with exactly n digits (leading zeros kept).
func (t *table) code(col string, n ...int) string {
	v := t.str(col, true)
	if v == "" {
		return ""
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			t.fail(col, fmt.Sprintf("mã %q phải chỉ gồm chữ số", v))
			return ""
		}
	}
	if len(n) > 0 {
		okLen := false
		for _, l := range n {
			okLen = okLen || len(v) == l
		}
		if !okLen {
			t.fail(col, fmt.Sprintf("mã %q phải có %v chữ số (giữ số 0 ở đầu)", v, n))
			return ""
		}
	}
	return v
}

func (t *table) boolean(col string) bool {
	switch v := strings.ToLower(t.str(col, true)); v {
	case "true", "1", "yes", "có":
		return true
	case "false", "0", "no", "không":
		return false
	case "":
		return false
	default:
		t.fail(col, fmt.Sprintf("giá trị %q phải là true hoặc false", v))
		return false
	}
}

func (t *table) integer(col string) int {
	v := t.str(col, false)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.fail(col, fmt.Sprintf("giá trị %q phải là số nguyên", v))
	}
	return n
}

func (t *table) date(col string) time.Time {
	v := t.str(col, true)
	if v == "" {
		return time.Time{}
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil {
		t.fail(col, fmt.Sprintf("ngày %q phải có dạng YYYY-MM-DD", v))
	}
	return d
}

func (t *table) oneOf(col string, allowed ...string) string {
	v := t.str(col, true)
	if v == "" {
		return ""
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	t.fail(col, fmt.Sprintf("giá trị %q không hợp lệ; chỉ nhận: %s", v, strings.Join(allowed, ", ")))
	return ""
}

// list splits a cell on sep, trimming and dropping empty items.
func (t *table) list(col, sep string, required bool) []string {
	v := t.str(col, required)
	return SplitList(v, sep)
}

// SplitList splits s on sep, trimming spaces and dropping empty items.
func SplitList(s, sep string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
