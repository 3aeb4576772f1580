// Package nlu understands citizens' Vietnamese as they really type it:
// without diacritics, with abbreviations (p., q.3, tp, tx, h.) and teen-code
// (ko, dc, j). It finds place mentions (an old commune with its district,
// a former name, a new unit), the matter (a procedure) and intents
// (greeting, thanks, help, talk to a person, complaint).
package nlu

import (
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// Text is a message in the forms understanding works on.
type Text struct {
	Raw    string   // as received (valid UTF-8)
	Folded string   // names.Fold(Raw) with teen-code expanded
	Tokens []string // strings.Fields(Folded)
}

// teenCode maps folded chat spellings to the words they stand for. Only
// spellings that cannot be place or procedure words are here; markers such
// as "p", "q" or "h" are read in context by the place parser.
var teenCode = map[string]string{
	"ko": "khong", "k": "khong", "kh": "khong", "hong": "khong", "hok": "khong", "hem": "khong", "khg": "khong", "kg": "khong",
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
	"tvien": "thanh vien", "uh": "u", "uk": "u", "oke": "ok", "okie": "ok",
}

// NewText folds raw text and expands teen-code.
func NewText(raw string) Text {
	raw = strings.ToValidUTF8(raw, "\uFFFD")
	toks := strings.Fields(names.Fold(raw))
	out := toks[:0:0]
	for _, t := range toks {
		if e, ok := teenCode[t]; ok {
			out = append(out, strings.Fields(e)...)
			continue
		}
		out = append(out, t)
	}
	return Text{Raw: raw, Folded: strings.Join(out, " "), Tokens: out}
}
