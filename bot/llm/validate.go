package llm

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// The validator reads every checkable fact of a phrased text — unit and
// place names, streets, numbers (fees, phones, dates, durations,
// addresses), URLs, legal references — and finds each in the records or in
// the engine's own text. Anything it cannot find is a fact the model made
// up (or was talked into by the citizen): the phrasing is rejected.
var (
	urlRE = regexp.MustCompile(`https?://[^\s<>"'()]+`)
	// placeRE: a unit or place type word and the name after it, which
	// starts with a capital letter or is a number ("Phường Bến Thành",
	// "Quận 3", "đường Lê Lợi").
	placeRE = regexp.MustCompile(`(?i:phường|xã|thị trấn|đặc khu|quận|huyện|thị xã|thành phố|tỉnh|tp\.?|ubnd|đường|phố|số nhà|ấp|khu phố)\s+((?:\p{Lu}[\p{L}\p{M}]*|\d+)(?:[ \t]+(?:\p{Lu}[\p{L}\p{M}]*|\d+))*)`)
	// legalRE: a law by its name ("Luật Cư trú").
	lawRE = regexp.MustCompile(`Luật(?:\s+\p{Lu}[\p{L}\p{M}]*)+(?:\s+(?:số\s+)?[\d/A-Za-z\-]+)?`)
	// legalRefRE: a numbered legal document ("NQ 1685/NQ-UBTVQH15", "Nghị định số 123/2015/NĐ-CP").
	legalRefRE = regexp.MustCompile(`(?i:nq|nđ|tt|qđ|nghị quyết|nghị định|thông tư|quyết định)\s*(?:số\s*)?(\d[\p{L}\d/.\-]*)`)
	// smallNumberRE: a one-digit number that states a fact by the word next to it.
	smallNumberRE = regexp.MustCompile(`(?i)(?:(?:ngày|tháng|số|lúc|mức|phí|giá)\s+(\d+))|(?:(\d+)\s*(?:ngày|giờ|tháng|năm|tuần|nghìn|ngàn|triệu|k\b|đ\b|đồng|vnđ|%|bản|lần))`)
	dateRE        = regexp.MustCompile(`\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b`)
	freeRE        = regexp.MustCompile(`(?i)miễn phí|miễn lệ phí|không (?:mất|thu|tốn|phải nộp) (?:lệ )?phí`)
)

// haystack is what a phrased text may state.
type haystack struct {
	raw     string
	folded  string          // " " + names.Fold(raw) + " "
	numbers map[string]bool // number keys (digits, leading zeros dropped)
	dates   map[string]bool // "d/m/yyyy"
}

func newHaystack(r Records) haystack {
	r.Question = "" // the citizen's words are not a source
	b, _ := json.Marshal(r)
	raw := r.Body + "\n" + string(b)
	h := haystack{raw: raw, folded: " " + names.Fold(raw) + " ", numbers: map[string]bool{}, dates: map[string]bool{}}
	for _, d := range dateRE.FindAllStringSubmatch(raw, -1) {
		h.dates[dateKey(d)] = true
	}
	for _, run := range digitRunRE.FindAllString(raw, -1) {
		groups := digitsRE.FindAllString(run, -1)
		h.numbers[numberKey(strings.Join(groups, ""))] = true
		for _, g := range groups {
			h.numbers[numberKey(g)] = true
		}
	}
	return h
}

func numberKey(d string) string {
	d = strings.TrimLeft(d, "0")
	if d == "" {
		return "0"
	}
	return d
}

func (h haystack) hasWords(s string) bool {
	f := names.Fold(s)
	return f != "" && strings.Contains(h.folded, " "+f+" ")
}

// Validate lists the facts of text that neither the records nor the
// engine's own text (records.Body) hold; empty means text may be sent.
func Validate(text string, records Records) []string {
	h := newHaystack(records)
	var bad []string
	add := func(s string) { bad = append(bad, strings.TrimSpace(s)) }
	for _, u := range urlRE.FindAllString(text, -1) {
		u = strings.TrimRight(u, ".,;:!?")
		if !strings.Contains(h.raw, u) {
			add(u)
		}
	}
	for _, m := range placeRE.FindAllStringSubmatch(text, -1) {
		if !h.hasPlaceName(m[0], m[1]) {
			add(m[0])
		}
	}
	for _, m := range lawRE.FindAllString(text, -1) {
		if !h.hasWords(m) && !h.hasWords(strings.Join(strings.Fields(m)[:2], " ")) {
			add(m)
		}
	}
	for _, m := range legalRefRE.FindAllStringSubmatch(text, -1) {
		if !h.hasWords(strings.TrimRight(m[1], ".-/")) {
			add(m[0])
		}
	}
	for _, d := range dateRE.FindAllStringSubmatch(text, -1) {
		if !h.dates[dateKey(d)] {
			add(d[0])
		}
	}
	for _, run := range digitRunRE.FindAllString(dateRE.ReplaceAllString(text, " "), -1) {
		groups := digitsRE.FindAllString(run, -1)
		joined := strings.Join(groups, "")
		if h.numbers[numberKey(joined)] {
			continue
		}
		for _, g := range groups {
			if len(g) > 1 && !h.numbers[numberKey(g)] {
				add(run)
				break
			}
		}
	}
	for _, m := range smallNumberRE.FindAllStringSubmatch(text, -1) {
		n := m[1] + m[2]
		if !h.numbers[numberKey(n)] {
			add(m[0])
		}
	}
	if freeRE.MatchString(text) && !strings.Contains(h.folded, " mien ") && !freeRE.MatchString(h.raw) {
		add(freeRE.FindString(text))
	}
	return bad
}

// hasPlaceName finds a place named in the text: "Quận 3" as a whole, a
// name by its words ("Bến Thành"), allowing capitalised words that merely
// follow it ("Phường Bến Thành Bạn…" → "Bến Thành").
func (h haystack) hasPlaceName(whole, name string) bool {
	words := strings.Fields(name)
	if len(words) == 0 {
		return true
	}
	if isDigits(words[0]) {
		return h.hasWords(whole[:len(whole)-len(name)] + words[0])
	}
	for n := len(words); n >= 1; n-- {
		if n == 1 && len(words) > 1 {
			break // one word of a longer name is not evidence
		}
		if h.hasWords(strings.Join(words[:n], " ")) {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// dateKey is a date match as "d/m/yyyy".
func dateKey(m []string) string {
	if m[4] != "" {
		return numberKey(m[6]) + "/" + numberKey(m[5]) + "/" + m[4]
	}
	return numberKey(m[1]) + "/" + numberKey(m[2]) + "/" + m[3]
}
