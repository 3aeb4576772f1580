package names

import "strings"

// Unit levels a type prefix can name.
const (
	LevelWard     = "ward"     // phường, xã, thị trấn, đặc khu
	LevelDistrict = "district" // quận, huyện, thị xã, thành phố (old districts)
	LevelProvince = "province" // tỉnh, thành phố (provinces)
)

// prefixes are the folded type prefixes of official names, longest first.
var prefixes = []string{"thanh pho ", "thi tran ", "dac khu ", "thi xa ", "phuong ", "huyen ", "quan ", "tinh ", "xa "}

// Short strips the type prefix from an official name, keeping diacritics:
// "Phường Đa Kao" → "Đa Kao", "Quận 1" → "1", "Thành phố Thủ Đức" → "Thủ Đức".
func Short(name string) string {
	f := Fold(name)
	for _, p := range prefixes {
		if strings.HasPrefix(f+" ", p) {
			words := len(strings.Fields(p))
			parts := strings.Fields(name)
			if len(parts) > words {
				return normalizeNumber(strings.Join(parts[words:], " "))
			}
		}
	}
	return name
}

// ShortFold is Fold(Short(name)): the key names are matched on.
func ShortFold(name string) string { return Fold(Short(name)) }

// Prefix returns the folded type prefix of an official name ("phuong",
// "thanh pho" …) or "".
func Prefix(name string) string {
	f := Fold(name) + " "
	for _, p := range prefixes {
		if strings.HasPrefix(f, p) {
			return strings.TrimSpace(p)
		}
	}
	return ""
}

// normalizeNumber turns "01" into "1" for numbered units.
func normalizeNumber(s string) string {
	if len(s) >= 2 && s[0] == '0' && isDigits(s) {
		s = strings.TrimLeft(s, "0")
		if s == "" {
			return "0"
		}
	}
	return s
}
