package names

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Phường Đa Kao, Quận 1", "phuong da kao quan 1"},
		{"p.15 q.8", "p 15 q 8"},
		{"P15,Q4", "p 15 q 4"},
		{"Phường 01", "phuong 1"},
		{"Xã Qui Đức", "xa quy duc"},
		{"đăng ký / đăng kí, lý lịch, Mỹ Tho", "dang ki dang ki li lich mi tho"},
		{"Thủy / Thuỷ", "thuy thuy"},
		{"TP.HCM", "tp hcm"},
		{"BR-VT", "br vt"},
		{"290A/47 Dương Bá Trạc", "290 a 47 duong ba trac"},
		{"  ", ""},
		{"😀😀", ""},
		{"bad \xff utf8", "bad utf 8"},
		{"F5 q10", "f 5 q 10"},
		{"phường 000", "phuong 0"},
		{"0909123456", "0909123456"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLower(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Phường Bình Hưng Hoà A", "phường bình hưng hòa a"},
		{"Thuỷ", "thủy"},
		{"hoàn", "hoàn"},
		{"quý", "quý"},
		{"Khoẻ", "khỏe"},
	}
	for _, tt := range tests {
		if got := Lower(tt.in); got != tt.want {
			t.Errorf("Lower(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShort(t *testing.T) {
	tests := []struct{ in, want, prefix string }{
		{"Phường Đa Kao", "Đa Kao", "phuong"},
		{"Phường 01", "1", "phuong"},
		{"Quận 1", "1", "quan"},
		{"Thành phố Thủ Đức", "Thủ Đức", "thanh pho"},
		{"Thị trấn Củ Chi", "Củ Chi", "thi tran"},
		{"Đặc khu Côn Đảo", "Côn Đảo", "dac khu"},
		{"Tỉnh Bình Dương", "Bình Dương", "tinh"},
		{"Xã", "Xã", "xa"},
		{"Sài Gòn", "Sài Gòn", ""},
	}
	for _, tt := range tests {
		if got := Short(tt.in); got != tt.want {
			t.Errorf("Short(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Prefix(tt.in); got != tt.prefix {
			t.Errorf("Prefix(%q) = %q, want %q", tt.in, got, tt.prefix)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Phường Đa Kao", "p.15 q.8", "\xff\xfe", "😀", "Q.Bình Thạnh", "0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Fold(s)
		if want := foldNFD(s); out != want {
			t.Errorf("Fold(%q) = %q, the NFD reference says %q", s, out, want)
		}
		if Fold(out) != out {
			t.Errorf("Fold not idempotent on %q: %q → %q", s, out, Fold(out))
		}
		_ = Lower(s)
		_ = Short(s)
	})
}

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kao", "cao", 2, 1},
		{"kao", "kao", 2, 0},
		{"thanh", "than", 2, 1},
		{"abc", "xyz", 1, 2},
		{"", "ab", 3, 2},
		{"sihn", "sinh", 2, 1},
	}
	for _, tt := range tests {
		if got := OSADistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("OSADistance(%q,%q,%d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestIsSyllable(t *testing.T) {
	for _, w := range []string{"sinh", "khai", "nghieng", "quy", "chuyen", "truong", "a", "uynh", "thuy", "dung", "giay"} {
		if !IsSyllable(w) {
			t.Errorf("IsSyllable(%q) = false", w)
		}
	}
	for _, w := range []string{"sihn", "sinhh", "cuok", "dunh", "xyz", "abc", "onl", "vneid"} {
		if IsSyllable(w) {
			t.Errorf("IsSyllable(%q) = true", w)
		}
	}
	if d := OSADistance("sihn", "sinh", 2); d != 1 {
		t.Errorf("OSADistance(sihn, sinh) = %d", d)
	}
}

// Fold reads each rune's decomposition from the tables; it must say what
// folding the whole NFD text says, for every letter a name or a message
// may hold (Latin with its Vietnamese and other diacritics, combining
// marks typed apart, other scripts).
func TestFoldMatchesNFD(t *testing.T) {
	var b strings.Builder
	for _, r := range []struct{ lo, hi rune }{{0x20, 0x24F}, {0x300, 0x36F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0xFF00, 0xFFEF}, {0xAC00, 0xAC40}} {
		for c := r.lo; c <= r.hi; c++ {
			b.Reset()
			b.WriteString("a")
			b.WriteRune(c)
			b.WriteString("e\u0323\u0302 ")
			if s := b.String(); Fold(s) != foldNFD(s) {
				t.Errorf("U+%04X: Fold(%q) = %q, the NFD reference says %q", c, s, Fold(s), foldNFD(s))
			}
		}
	}
}

// foldNFD is Fold by the book: decompose the whole text, then drop the
// marks (Fold's first version).
func foldNFD(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = norm.NFD.String(s)
	var b strings.Builder
	prev, space := 0, false
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if r == 'đ' || r == 'ð' {
			r = 'd'
		}
		cls := 0
		switch {
		case r >= '0' && r <= '9':
			cls = 2
		case unicode.IsLetter(r):
			cls = 1
		}
		if cls == 0 {
			space, prev = b.Len() > 0, 0
			continue
		}
		if space || (prev != 0 && prev != cls) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = cls
	}
	return fixTokens(b.String())
}
