package eval

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/bot"
)

// Lengths summarises how long the last answers of the cases are, in
// characters (runes) of the text a phone shows, sources line included.
type Lengths struct {
	Answers int // cases that ended in an answer with text
	Median  int
	P90     int
	Max     int
	// BodyMedian is the median without the sources line (Answer.Footer).
	BodyMedian int
	// FoldedMedian is the median of what the web page shows before "Xem
	// chi tiết" is tapped: the answer's Lead, else its text without the
	// sources line and the map link (a button there).
	FoldedMedian int
}

// MeasureLengths measures the text of every case's last answer (cases that
// failed to run are left out).
func MeasureLengths(results []Result) Lengths {
	var ns, bodies, folded []int
	for _, r := range results {
		a := r.Answer
		if r.Err != nil || a.Text == "" {
			continue
		}
		ns = append(ns, utf8.RuneCountInString(a.Text))
		body := a.Text
		if f := a.Footer; f != "" {
			if i := strings.LastIndex(body, f); i >= 0 {
				body = strings.TrimSpace(body[:i] + body[i+len(f):])
			}
		}
		bodies = append(bodies, utf8.RuneCountInString(body))
		shown := a.Lead
		if shown == "" {
			shown = withoutMapLine(body, a.Office)
		}
		folded = append(folded, utf8.RuneCountInString(shown))
	}
	if len(ns) == 0 {
		return Lengths{}
	}
	slices.Sort(ns)
	slices.Sort(bodies)
	slices.Sort(folded)
	return Lengths{Answers: len(ns), Median: percentile(ns, 50), P90: percentile(ns, 90), Max: ns[len(ns)-1],
		BodyMedian: percentile(bodies, 50), FoldedMedian: percentile(folded, 50)}
}

// withoutMapLine drops the office's "Bản đồ: <link>" line, which the web
// page shows as a button.
func withoutMapLine(text string, o *bot.Office) string {
	if o == nil || o.MapURL == "" {
		return text
	}
	return strings.TrimSpace(strings.Replace(text, "Bản đồ: "+o.MapURL, "", 1))
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
	fmt.Fprintf(w, "answer length (characters): median %d, p90 %d, max %d over %d answers; median without the sources line %d; median shown on the web before “Xem chi tiết” %d\n",
		l.Median, l.P90, l.Max, l.Answers, l.BodyMedian, l.FoldedMedian)
}
