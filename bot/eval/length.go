package eval

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Lengths summarises how long the last answers of the cases are, in
// characters (runes) of the text a phone shows, sources line included.
type Lengths struct {
	Answers int // cases that ended in an answer with text
	Median  int
	P90     int
	Max     int
	// BodyMedian is the median without the sources line (Answer.Footer),
	// which the web page folds away behind "Nguồn".
	BodyMedian int
}

// MeasureLengths measures the text of every case's last answer (cases that
// failed to run are left out).
func MeasureLengths(results []Result) Lengths {
	var ns, bodies []int
	for _, r := range results {
		if r.Err != nil || r.Answer.Text == "" {
			continue
		}
		ns = append(ns, utf8.RuneCountInString(r.Answer.Text))
		body := r.Answer.Text
		if f := r.Answer.Footer; f != "" {
			if i := strings.LastIndex(body, f); i >= 0 {
				body = strings.TrimSpace(body[:i] + body[i+len(f):])
			}
		}
		bodies = append(bodies, utf8.RuneCountInString(body))
	}
	if len(ns) == 0 {
		return Lengths{}
	}
	slices.Sort(ns)
	slices.Sort(bodies)
	return Lengths{Answers: len(ns), Median: percentile(ns, 50), P90: percentile(ns, 90), Max: ns[len(ns)-1],
		BodyMedian: percentile(bodies, 50)}
}

// percentile is the nearest-rank percentile of sorted values; the median of
// an even count is the mean of the two middle values, rounded down.
func percentile(sorted []int, p int) int {
	n := len(sorted)
	if p == 50 && n%2 == 0 {
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
	i := (p*n + 99) / 100 // ceil(p·n/100), 1-based rank
	if i < 1 {
		i = 1
	}
	return sorted[i-1]
}

// WriteLengths prints one line: "answer length (characters): median …".
func WriteLengths(w io.Writer, l Lengths) {
	fmt.Fprintf(w, "answer length (characters): median %d, p90 %d, max %d over %d answers; median without the sources line %d\n",
		l.Median, l.P90, l.Max, l.Answers, l.BodyMedian)
}
