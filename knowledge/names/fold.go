// Package names owns the written forms of Vietnamese place names and text:
// folding to a diacritics-free, lowercase, space-separated form, and the
// type prefixes of units ("Phường", "Quận", "Thành phố" …) with their short
// forms. Both the knowledge base and the bot's understanding key on it.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s lowercased, without diacritics (đ → d), with every run of
// characters other than letters and digits turned into one space, letters
// and digits split apart ("p15" → "p 15", "q.3" → "q 3"), "qui" spelled
// "quy" and leading zeros dropped from short numbers ("01" → "1").
// Invalid UTF-8 is replaced. Fold never panics and allocates once or twice.
func Fold(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	const (
		none = iota
		letter
		digit
	)
	prev := none
	space := false
	add := func(r rune) {
		if unicode.Is(unicode.Mn, r) {
			return
		}
		r = unicode.ToLower(r)
		if r == 'đ' || r == 'ð' {
			r = 'd'
		}
		cls := none
		switch {
		case r >= '0' && r <= '9':
			cls = digit
		case unicode.IsLetter(r):
			cls = letter
		}
		if cls == none {
			space = b.Len() > 0
			prev = none
			return
		}
		if space || (prev != none && prev != cls) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = cls
	}
	// Each rune's canonical decomposition is read from the norm tables
	// (no copy): the marks it brings are dropped like any other, so the
	// marks' order, which NFD would also fix, does not matter. Building
	// the NFD string first was a tenth of what the answering allocated.
	for i := 0; i < len(s); {
		p := norm.NFD.PropertiesString(s[i:])
		r, n := utf8.DecodeRuneInString(s[i:])
		switch d := p.Decomposition(); {
		case r >= hangulFirst && r <= hangulLast:
			for _, j := range hangulJamo(r) {
				if j != 0 {
					add(j)
				}
			}
		case d != nil:
			for len(d) > 0 {
				c, k := utf8.DecodeRune(d)
				d = d[k:]
				add(c)
			}
		default:
			add(r)
		}
		i += n
	}
	return fixTokens(b.String())
}

// The Hangul syllables, which the norm tables decompose by rule rather
// than by entry (Unicode 3.12).
const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
)

// hangulJamo returns a Hangul syllable's leading consonant, vowel and
// trailing consonant (0: none), as NFD decomposes it.
func hangulJamo(r rune) [3]rune {
	const lBase, vBase, tBase, tCount, nCount = 0x1100, 0x1161, 0x11A7, 28, 588
	i := r - hangulFirst
	j := [3]rune{lBase + i/nCount, vBase + (i%nCount)/tCount}
	if t := i % tCount; t != 0 {
		j[2] = tBase + t
	}
	return j
}

// fixTokens applies the token-level spelling rules (qui = quy, kí = ký,
// 05 = 5).
func fixTokens(s string) string {
	if !strings.Contains(s, "qui") && !strings.Contains(s, "0") && !strings.Contains(s, "y") {
		return s
	}
	toks := strings.Split(s, " ")
	for i, t := range toks {
		switch {
		case t == "qui":
			toks[i] = "quy"
		case len(t) == 2 && t[1] == 'y' && strings.IndexByte("bcdghklmnprstvx", t[0]) >= 0:
			// "ký"/"kí", "lý"/"lí", "Mỹ"/"Mĩ": both spellings are in use.
			toks[i] = t[:1] + "i"
		case len(t) >= 2 && len(t) <= 3 && t[0] == '0' && isDigits(t):
			toks[i] = strings.TrimLeft(t, "0")
			if toks[i] == "" {
				toks[i] = "0"
			}
		}
	}
	return strings.Join(toks, " ")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsNumber reports whether the folded token is all digits.
func IsNumber(tok string) bool { return isDigits(tok) }

// Lower returns s in NFC, lowercased, with tone marks placed as in the
// resolutions' spelling ("hoà" → "hòa", "thuỷ" → "thủy" in open syllables),
// so that two spellings of one name compare equal while diacritics are kept.
func Lower(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	rs := []rune(strings.ToLower(norm.NFC.String(s)))
	for i := 0; i+1 < len(rs); i++ {
		end := i+2 == len(rs) || !unicode.IsLetter(rs[i+2])
		if !end {
			continue
		}
		base, ok := toneMoves[rs[i+1]]
		if !ok || base.first != rs[i] || (rs[i] == 'u' && i > 0 && rs[i-1] == 'q') {
			continue
		}
		rs[i], rs[i+1] = base.toned, base.plain
	}
	return string(rs)
}

// toneMove says: a toned second vowel after first moves its tone onto first.
type toneMove struct {
	first, toned, plain rune
}

var toneMoves = map[rune]toneMove{
	'à': {'o', 'ò', 'a'}, 'á': {'o', 'ó', 'a'}, 'ả': {'o', 'ỏ', 'a'}, 'ã': {'o', 'õ', 'a'}, 'ạ': {'o', 'ọ', 'a'},
	'è': {'o', 'ò', 'e'}, 'é': {'o', 'ó', 'e'}, 'ẻ': {'o', 'ỏ', 'e'}, 'ẽ': {'o', 'õ', 'e'}, 'ẹ': {'o', 'ọ', 'e'},
	'ỳ': {'u', 'ù', 'y'}, 'ý': {'u', 'ú', 'y'}, 'ỷ': {'u', 'ủ', 'y'}, 'ỹ': {'u', 'ũ', 'y'}, 'ỵ': {'u', 'ụ', 'y'},
}
