package editor

import (
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// matches reports whether every word of the folded query q occurs in one
// of the texts, so "khai sinh" finds "Đăng ký khai sinh".
func matches(q string, texts ...string) bool {
	q = names.Fold(q)
	if q == "" {
		return true
	}
	hay := names.Fold(strings.Join(texts, " "))
	for _, w := range strings.Fields(q) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// splitLines is a textarea's non-empty trimmed lines.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// validSlug reports whether s is a short id: lowercase ASCII letters,
// digits and dashes.
func validSlug(s string) bool {
	if s == "" || len(s) > 80 || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// validURL reports whether s is an http(s) link.
func validURL(s string) bool {
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && !strings.ContainsAny(s, " \t\n")
}
