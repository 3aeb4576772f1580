// Package nlu understands citizens' Vietnamese as they really type it:
// without diacritics, with abbreviations (p., q.3, tp, tx, h.) and teen-code
// (ko, dc, j). It finds place mentions (an old commune with its district,
// a former name, a new unit), the matter (a procedure) and intents
// (greeting, thanks, help, talk to a person, complaint).
//
// Every word keeps what the citizen typed (diacritics, capitals) next to its
// folded form, with the punctuation before it: the readers weigh that
// evidence instead of trusting the folded letters alone.
package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
	"golang.org/x/text/unicode/norm"
)

// Text is a message in the forms understanding works on.
type Text struct {
	Raw    string   // as received (valid UTF-8)
	Folded string   // the folded tokens joined by spaces
	Tokens []string // folded words, teen-code expanded
	// Words is what the citizen typed for each token, aligned with Tokens.
	Words []Word
	// Careful: the message is typed with diacritics (at least two words
	// and 40 % of them carry marks), so a word typed plain is plain.
	Careful bool
}

// Break is the punctuation between a token and the one before it.
type Break uint8

// Breaks, weakest first.
const (
	BreakNone     Break = iota
	BreakDash           // "-", "–": inside "Bà Rịa - Vũng Tàu", or between two parts
	BreakHard           // comma, semicolon, colon, brackets
	BreakSentence       // full stop, ?, !, a new line
)

// Word is one token as typed.
type Word struct {
	// Marks is the sequence of diacritics typed on the word (tone and vowel
	// marks, đ's stroke), "" when typed without any: "định" and "đình"
	// differ here while their folded forms agree.
	Marks string
	Cap   bool  // typed with a capital first letter
	Upper bool  // typed in capitals, two letters or more ("GV", "BT")
	Break Break // punctuation before this token
	// Expanded marks a token that stands for teen-code ("ko" → "khong");
	// Orig is the word as typed (folded), on the first token of its
	// expansion ("" on the others).
	Expanded bool
	Orig     string
}

// teenCode maps folded chat spellings to the words they stand for. Only
// spellings that cannot be place or procedure words are here ("hong" is
// Hồng and sổ hồng as often as không; "hem" is hẻm); markers such as "p",
// "q" or "h" are read in context by the place parser. A word typed with a
// tone is never teen-code ("É" in Mường É).
var teenCode = map[string]string{
	"ko": "khong", "k": "khong", "kh": "khong", "hok": "khong", "khg": "khong", "kg": "khong",
	"dc": "duoc", "dk": "dang ky", "j": "gi", "z": "vay", "dz": "vay", "v": "vay",
	"ntn": "nhu the nao", "bn": "bao nhieu", "bnhieu": "bao nhieu", "vs": "voi", "mik": "minh", "mk": "minh",
	"bik": "biet", "bit": "biet", "r": "roi", "oy": "roi", "wa": "qua", "ng": "nguoi", "cb": "can bo",
	"nv": "nhan vien", "sdt": "so dien thoai", "ad": "admin", "ah": "a", "ak": "a",
	"e": "em", "mn": "moi nguoi", "ib": "nhan tin", "thk": "cam on", "tks": "cam on", "thanks": "cam on",
	"thank": "cam on", "cmnd": "chung minh nhan dan", "cccd": "can cuoc cong dan",
	"gplx": "giay phep lai xe", "bhyt": "bao hiem y te", "bhxh": "bao hiem xa hoi", "hkd": "ho kinh doanh",
	"gpkd": "giay phep kinh doanh", "gpxd": "giay phep xay dung", "ubnd": "uy ban nhan dan", "lltp": "ly lich tu phap",
	"hk": "ho khau", "dky": "dang ky", "dki": "dang ky", "onl": "truc tuyen", "online": "truc tuyen", "ol": "truc tuyen", "ks": "khai sinh", "dkkd": "dang ky kinh doanh", "tthc": "thu tuc hanh chinh",
	"dvc": "dich vu cong", "gcn": "giay chung nhan", "qsdd": "quyen su dung dat", "sđ": "so do",
	"tvien": "thanh vien", "bv": "benh vien", "uh": "u", "uk": "u", "oke": "ok", "okie": "ok",
}

// markerAbbrev are folded words after which a full stop abbreviates
// ("P. Phú Mỹ", "TP. Thủ Đức") instead of ending a sentence.
var markerAbbrev = map[string]bool{
	"p": true, "ph": true, "q": true, "tp": true, "tx": true, "h": true, "x": true, "tt": true, "f": true,
	"d": true, "kp": true, "st": true, "ng": true, "dc": true, "tr": true,
}

// NewText splits raw text into tokens, keeping each one's typed form and
// the punctuation before it, and expands teen-code.
func NewText(raw string) Text {
	raw = strings.ToValidUTF8(raw, "\uFFFD")
	s := norm.NFC.String(raw)
	t := Text{Raw: raw}
	var run []rune
	pending := BreakNone
	glued := false // the run ends in an apostrophe inside a name ("K'nia", "R'moan")
	flush := func() {
		if len(run) == 0 {
			return
		}
		typed := string(run)
		base, mk, upper := foldRun(run)
		run = run[:0]
		folded := names.Fold(base)
		if folded == "" {
			return
		}
		w := Word{Marks: mk, Cap: unicode.IsUpper([]rune(typed)[0]), Upper: upper && utf8.RuneCountInString(typed) > 1, Break: pending}
		pending = BreakNone
		if e, ok := teenCode[folded]; ok && (mk == "" || mk == "đ") && !glued {
			for i, f := range strings.Fields(e) {
				ew := Word{Expanded: true}
				if i == 0 {
					ew.Break, ew.Orig = w.Break, folded
				}
				t.Tokens, t.Words = append(t.Tokens, f), append(t.Words, ew)
			}
			return
		}
		t.Tokens, t.Words = append(t.Tokens, folded), append(t.Words, w)
	}
	brk := func(b Break) {
		flush()
		glued = false
		if len(t.Tokens) > 0 && b > pending {
			pending = b
		}
	}
	rs := []rune(s)
	prevClass := 0
	for i, r := range rs {
		cls := runeClass(r)
		switch {
		case cls == classLetter || cls == classDigit:
			if prevClass != 0 && prevClass != cls && len(run) > 0 && !unicode.Is(unicode.Mn, r) {
				flush() // "p15" → "p", "15"
			}
			run = append(run, r)
			prevClass = cls
			continue
		case r == '?' || r == '!' || r == '\n' || r == '\r':
			brk(BreakSentence)
		case r == ',' || r == ';' || r == '(' || r == ')' || r == '[' || r == ']' || r == ':':
			brk(BreakHard)
		case r == '-' || r == '–' || r == '—':
			brk(BreakDash)
		case (r == '\'' || r == '’') && i+1 < len(rs) && unicode.IsLetter(rs[i+1]) && len(run) > 0:
			glued = true
			flush()
			glued = false
		case r == '.':
			word := names.Fold(string(run))
			next := rune(0)
			if i+1 < len(rs) {
				next = rs[i+1]
			}
			if next == 0 || unicode.IsSpace(next) {
				if markerAbbrev[word] {
					flush()
				} else {
					brk(BreakSentence)
				}
			} else {
				flush() // "q.3", "tp.hcm"
			}
		default:
			flush()
		}
		prevClass = 0
	}
	flush()
	t.Folded = strings.Join(t.Tokens, " ")
	accented := 0
	for _, w := range t.Words {
		if w.Marks != "" {
			accented++
		}
	}
	t.Careful = accented >= 2 && accented*10 >= 4*len(t.Words)
	return t
}

const (
	classOther = iota
	classLetter
	classDigit
)

func runeClass(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return classDigit
	case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
		return classLetter
	}
	return classOther
}

// foldRun returns a run's letters without diacritics (lowercase ASCII for
// Vietnamese), the marks they carried in order, and whether every letter
// was a capital. Letters are looked up in a table built once.
func foldRun(run []rune) (base, mk string, upper bool) {
	var b, m strings.Builder
	upper = true
	for _, r := range run {
		if r < utf8.RuneSelf {
			if r >= 'a' && r <= 'z' {
				upper = false
			} else if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteRune(r)
			continue
		}
		f, ok := letterFolds[r]
		if !ok {
			f = foldLetter(r)
		}
		if unicode.IsLower(r) {
			upper = false
		}
		b.WriteString(f.base)
		m.WriteString(f.marks)
	}
	return b.String(), m.String(), upper
}

// letterFold is one letter's base and marks.
type letterFold struct{ base, marks string }

// letterFolds covers Latin-1 to Latin Extended Additional, where every
// Vietnamese letter is.
var letterFolds = buildLetterFolds()

func buildLetterFolds() map[rune]letterFold {
	out := make(map[rune]letterFold, 512)
	for r := rune(0xC0); r <= 0x1EFF; r++ {
		if unicode.IsLetter(r) {
			out[r] = foldLetter(r)
		}
	}
	return out
}

func foldLetter(r rune) letterFold {
	s := string(unicode.ToLower(r))
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, c) {
			b.WriteRune(c)
		}
	}
	base := b.String()
	if base == "đ" || base == "ð" {
		base = "d"
	}
	return letterFold{base: base, marks: marks(s)}
}

// marks returns the diacritics of a typed word in order: the combining
// marks of its NFD form, with "đ" counted as a mark of its own.
func marks(word string) string {
	if isASCII(word) {
		return ""
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(word)) {
		switch {
		case r == 'đ':
			b.WriteRune('đ')
		case unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Span returns the folded tokens from..to joined by spaces.
func (t Text) Span(from, to int) string { return strings.Join(t.Tokens[from:to], " ") }

// TypedSpan is Span with teen-code undone: the words as typed, folded
// ("Pô Kô" typed "po ko" is not "po khong"). ok is false when no token of
// the span was expanded.
func (t Text) TypedSpan(from, to int) (span string, ok bool) {
	words := make([]string, 0, to-from)
	for j := from; j < to && j < len(t.Words); j++ {
		w := t.Words[j]
		switch {
		case !w.Expanded:
			words = append(words, t.Tokens[j])
		case w.Orig != "":
			words, ok = append(words, w.Orig), true
		default:
			ok = true
		}
	}
	return strings.Join(words, " "), ok
}

// Sentences splits the text at full stops, question marks and new lines;
// used, aligned with the tokens, is split alike.
func (t Text) Sentences(used []bool) ([]Text, [][]bool) {
	var out []Text
	var outUsed [][]bool
	start := 0
	for j := 1; j <= len(t.Tokens); j++ {
		if j < len(t.Tokens) && t.Words[j].Break != BreakSentence {
			continue
		}
		s := Text{Tokens: t.Tokens[start:j], Words: t.Words[start:j]}
		s.Folded = strings.Join(s.Tokens, " ")
		out = append(out, s)
		if len(used) >= j {
			outUsed = append(outUsed, used[start:j])
		} else {
			outUsed = append(outUsed, nil)
		}
		start = j
	}
	return out, outUsed
}

// breakInside returns the strongest break between tokens from and to
// (exclusive of the break before from).
func (t Text) breakInside(from, to int) Break {
	b := BreakNone
	for j := from + 1; j < to && j < len(t.Words); j++ {
		b = max(b, t.Words[j].Break)
	}
	return b
}
