// Package csvcell keeps exported CSV cells from being read as formulas by
// spreadsheets (CSV injection): a cell that starts with =, +, -, @, a tab
// or a carriage return is written with a leading apostrophe, which
// spreadsheets show as text; reading strips it again, so an export
// imports back unchanged.
package csvcell

import "strings"

// Escape returns the cell as it is safe to write.
func Escape(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Unescape undoes Escape on a cell read back.
func Unescape(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// EscapeRow escapes every cell of a row, in place, and returns it.
func EscapeRow(row []string) []string {
	for i, c := range row {
		row[i] = Escape(c)
	}
	return row
}
