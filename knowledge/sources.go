package knowledge

import (
	"regexp"
	"strings"
	"time"
)

// A source in a CSV cell is written "Title — URL (YYYY-MM-DD)": the title
// and the date are optional; a cell holds several, separated by "|".
var (
	sourceURLRE  = regexp.MustCompile(`https?://[^\s|]+`)
	sourceDateRE = regexp.MustCompile(`^\(\s*([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)\s*\)$`)
)

// ParseSource reads one source as written in a cell. A cell without a URL
// gives a Source with no URL (which Validate rejects).
func ParseSource(s string) Source {
	s = strings.TrimSpace(s)
	loc := sourceURLRE.FindStringIndex(s)
	if loc == nil {
		return Source{Title: s}
	}
	src := Source{
		Title: strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s[:loc[0]]), "—–-:")),
		URL:   strings.TrimRight(s[loc[0]:loc[1]], ".,;"),
	}
	rest := strings.TrimSpace(s[loc[1]:])
	if m := sourceDateRE.FindStringSubmatch(rest); m != nil {
		src.Date = m[1]
	} else if rest != "" {
		src.Date = rest // kept as typed, for Validate to name it
	}
	return src
}

// String writes the source as ParseSource reads it.
func (s Source) String() string {
	out := s.URL
	if s.Title != "" {
		out = s.Title + " — " + out
	}
	if s.Date != "" {
		out += " (" + s.Date + ")"
	}
	return out
}

// ParseSources reads a cell of sources separated by "|".
func ParseSources(cell string) []Source {
	var out []Source
	for _, item := range SplitList(cell, "|") {
		out = append(out, ParseSource(item))
	}
	return out
}

// FormatSources writes sources as one cell.
func FormatSources(ss []Source) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.String()
	}
	return strings.Join(parts, listSep)
}

// checkSources rejects a source without an http(s) link, with a malformed
// date, or whose title holds the list separator.
func checkSources(ps *Problems, field string, ss []Source) {
	for _, s := range ss {
		switch {
		case s.URL == "":
			ps.add(field, "nguồn %q cần một đường dẫn http(s)", s.Title)
		case strings.Contains(s.Title, "|"):
			ps.add(field, "tên nguồn %q không được chứa ký tự \"|\"", s.Title)
		case s.Date != "" && !validSourceDate(s.Date):
			ps.add(field, "ngày %q của nguồn %s phải có dạng (YYYY-MM-DD) hoặc (YYYY-MM)", s.Date, s.URL)
		}
	}
}

func validSourceDate(d string) bool {
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		if _, err := time.Parse(layout, d); err == nil {
			return true
		}
	}
	return false
}
