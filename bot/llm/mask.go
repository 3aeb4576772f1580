package llm

import (
	"fmt"
	"regexp"
	"strings"
)

// Personal data never leaves for the model: phone numbers (0xxxxxxxxx,
// +84…, landlines, with spaces, dots, dashes or the area code in brackets),
// 12-digit citizen ID numbers, 9-digit old ID card numbers (written as one
// number) and e-mail addresses become placeholders ([PHONE_1], [ID_1],
// [EMAIL_1]).
var (
	emailRE    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	digitRunRE = regexp.MustCompile(`\+?\(?\d+\)?(?:[ .\-]?\(?\d+\)?)*`)
	digitsRE   = regexp.MustCompile(`\d+`)
)

// masking replaces personal data in texts and can put KB-owned values back
// (a ward office's phone in the records is not personal, but it is masked
// like any other number on the way out, then restored in the reply).
type masking struct {
	byValue map[string]string // original → placeholder
	byPH    map[string]string // placeholder → original
	counts  map[string]int
}

func newMasking() *masking {
	return &masking{byValue: map[string]string{}, byPH: map[string]string{}, counts: map[string]int{}}
}

// Mask replaces phone numbers, 12-digit ID numbers and e-mails in s by
// placeholders. It is what every text sent to the model goes through.
func Mask(s string) string { return newMasking().mask(s) }

func (m *masking) placeholder(kind, value string) string {
	if ph, ok := m.byValue[value]; ok {
		return ph
	}
	m.counts[kind]++
	ph := fmt.Sprintf("[%s_%d]", kind, m.counts[kind])
	m.byValue[value], m.byPH[ph] = ph, value
	return ph
}

func (m *masking) mask(s string) string {
	s = emailRE.ReplaceAllStringFunc(s, func(e string) string { return m.placeholder("EMAIL", e) })
	return digitRunRE.ReplaceAllStringFunc(s, m.maskRun)
}

// maskRun masks the numbers of one run of digit groups ("0903 123 456",
// "+84 28 3829 1234", "079201001234"): from each group, the longest run
// of following groups that makes a phone or an ID number is replaced.
func (m *masking) maskRun(run string) string {
	groups := digitsRE.FindAllStringIndex(run, -1)
	var b strings.Builder
	last := 0
	for i := 0; i < len(groups); {
		best, kind := -1, ""
		digits := ""
		for j := i; j < len(groups) && len(digits) <= 12; j++ {
			digits += run[groups[j][0]:groups[j][1]]
			plus := groups[i][0] > 0 && run[groups[i][0]-1] == '+'
			if k := numberKind(digits, plus, j-i+1); k != "" {
				best, kind = j, k
			}
		}
		if best < 0 {
			i++
			continue
		}
		from := groups[i][0]
		if from > 0 && (run[from-1] == '+' || run[from-1] == '(') {
			from--
		}
		to := groups[best][1]
		b.WriteString(run[last:from])
		b.WriteString(m.placeholder(kind, run[from:to]))
		last = to
		i = best + 1
	}
	b.WriteString(run[last:])
	return b.String()
}

// numberKind says whether the digits (from that many groups) are a
// Vietnamese phone number (PHONE), a citizen ID number (ID: 12 digits, or
// the old card's 9 written as one number — "150.000.000" is an amount) or
// neither ("").
func numberKind(d string, plus bool, groups int) string {
	switch {
	case len(d) == 9 && groups == 1 && d[0] != '0':
		return "ID" // 025123456 would be a phone's start; CMND numbers are 9 digits
	case strings.HasPrefix(d, "84") && (plus || len(d) == 11) && len(d) >= 11 && len(d) <= 12:
		return "PHONE" // +84 90 123 4567, +84 28 3829 1234
	case d[0] == '0' && (len(d) == 10 || len(d) == 11):
		return "PHONE" // 0903123456, 028 3829 1234
	case len(d) == 12:
		return "ID"
	case (strings.HasPrefix(d, "1900") || strings.HasPrefix(d, "1800")) && (len(d) == 8 || len(d) == 10):
		return "PHONE" // hotlines
	}
	return ""
}

// restore puts masked values back into a model's reply.
func (m *masking) restore(s string) string {
	if len(m.byPH) == 0 || !strings.Contains(s, "[") {
		return s
	}
	for ph, v := range m.byPH {
		s = strings.ReplaceAll(s, ph, v)
	}
	return s
}
