package bot

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// textNotInKB stands for an office detail editors have not entered yet:
// never a guess.
const textNotInKB = "chưa có trong cơ sở dữ liệu của Hỏi Phường"

// Office texts.
const (
	labelDesk = "Trung tâm Phục vụ hành chính công"
	// textStandardHours is said while a unit has no hours of its own in the
	// KB: the civil service's working week, not a unit's published schedule.
	textStandardHours = "giờ hành chính T2–T6 (lịch chung)"
	textOfficeCheck   = "⚠️ Các nguồn ghi địa chỉ Trung tâm chưa khớp nhau; bạn nên gọi hoặc hỏi lại trước khi đến."
	mapSearchBase     = "https://www.google.com/maps/search/?api=1&query="
)

// office says where a matter is filed, for a unit when one is known, with
// the office details the knowledge base has (none invented).
func (t *turn) office(p knowledge.Procedure, u *knowledge.Unit) *Office {
	o := &Office{Level: p.MainLevel(), Authority: p.Authority}
	if p.MainLevel() == knowledge.LevelCity {
		o.ServicePoints = servicePoints(t.s.kb, p.ID)
	}
	if u == nil {
		return o
	}
	switch p.MainLevel() {
	case knowledge.LevelCommune:
		o.Unit = "UBND " + u.Name
	case knowledge.LevelCommunePolice:
		o.Unit = "Công an " + u.Name
	case knowledge.LevelLandOffice:
		o.Unit = landBranch(t.s.kb, u)
	}
	fillOffice(o, u)
	return o
}

// fillOffice copies a unit's office details into o: the map link built
// from the desk's address when editors gave none, the standard hours when
// the unit has none of its own.
func fillOffice(o *Office, u *knowledge.Unit) {
	o.Address, o.UBNDAddress, o.PoliceAddress = u.Address, u.UBNDAddress, u.PoliceAddress
	o.Phone, o.Hotline, o.MapURL = u.Phone, u.Hotline, officeMapURL(u)
	o.Hours = u.Hours
	if o.Hours == "" && u.HasOffice() {
		o.Hours, o.StandardHours = textStandardHours, true
	}
	o.Source, o.SourceURL, o.SourceDate = u.OfficeSource, u.OfficeSourceURL, u.OfficeAsOf
	o.ToCheck = u.OfficeCheck != "" || u.OfficeConfidence == "low"
}

// unitOffice is a unit's offices in an answer about the unit itself (no
// matter): nil when the KB has none.
func unitOffice(u *knowledge.Unit) *Office {
	if !u.HasOffice() {
		return nil
	}
	o := &Office{Authority: labelDesk + " " + u.Name, Unit: u.Name}
	fillOffice(o, u)
	return o
}

// servicePoints are the KB's city-level places that handle a procedure.
func servicePoints(kb *knowledge.KB, procID string) []ServicePointRef {
	var out []ServicePointRef
	for _, sp := range kb.ServicePoints {
		if slices.Contains(sp.Matters, procID) {
			out = append(out, ServicePointRef{ID: sp.ID, Name: sp.Name, Address: sp.Address, Phone: sp.Phone, Hours: sp.Hours, MapURL: sp.MapURL})
		}
	}
	return out
}

// officeHead is the office line a citizen needs first: the police where
// the matter is theirs, then the unit's service desk with its phone (and a
// warning when its sources disagree). Empty when the KB has no office
// detail of the unit (officeRest says so).
func officeHead(u *knowledge.Unit, level string) string {
	if !u.HasOffice() {
		return ""
	}
	var b strings.Builder
	if level == knowledge.LevelCommunePolice && u.PoliceAddress != "" {
		fmt.Fprintf(&b, "Công an %s: %s.\n", u.Name, trimDot(u.PoliceAddress))
	}
	addr := "địa chỉ " + textNotInKB
	if u.Address != "" {
		addr = trimDot(u.Address)
	}
	fmt.Fprintf(&b, "%s: %s", labelDesk, addr)
	if u.Phone != "" {
		fmt.Fprintf(&b, " — ĐT: %s", u.Phone)
	}
	if u.Hotline != "" {
		fmt.Fprintf(&b, " — Đường dây nóng: %s", u.Hotline)
	}
	b.WriteString(".\n")
	if u.OfficeCheck != "" || u.OfficeConfidence == "low" {
		b.WriteString(textOfficeCheck + "\n") // next to the address it is about
	}
	return b.String()
}

// officeRest is the rest of the office details: the UBND seat when it is
// elsewhere (withUBND: not in a procedure's answer, where the desk is the
// place to go), the hours (the standard schedule until editors enter the
// unit's own), the map link and notes.
func officeRest(u *knowledge.Unit, withUBND bool) string {
	if !u.HasOffice() {
		return textNoAddress + "\n"
	}
	var b strings.Builder
	if withUBND && u.UBNDAddress != "" && !sameBuilding(u.UBNDAddress, u.Address) {
		fmt.Fprintf(&b, "Trụ sở UBND: %s.\n", trimDot(u.UBNDAddress))
	}
	hours := textStandardHours
	if u.Hours != "" {
		hours = trimDot(u.Hours)
	}
	fmt.Fprintf(&b, "Giờ làm việc: %s.\n", hours)
	if m := officeMapURL(u); m != "" {
		fmt.Fprintf(&b, "Bản đồ: %s\n", m)
	}
	if u.OfficeNotes != "" {
		fmt.Fprintf(&b, "Lưu ý: %s.\n", trimDot(u.OfficeNotes))
	}
	return b.String()
}

// officeText is the whole office block of a unit (head and rest), as a
// unit's own answer gives it.
func officeText(u *knowledge.Unit) string {
	return officeHead(u, "") + officeRest(u, true)
}

// officeCitation names where the units' office details come from (every
// source once), with the newest source's date; false when the KB does not
// say.
func officeCitation(us ...*knowledge.Unit) (Citation, bool) {
	var names []string
	var link, date string
	for _, u := range us {
		if !u.HasOffice() || u.OfficeSource == "" {
			continue
		}
		for _, n := range strings.Split(u.OfficeSource, ";") {
			if n = strings.TrimSpace(n); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if link == "" {
			link = u.OfficeSourceURL
		}
		date = max(date, u.OfficeAsOf)
	}
	if len(names) == 0 {
		return Citation{}, false
	}
	src := strings.Join(names, ", ")
	short := "địa chỉ: " + src
	if date != "" {
		short += ", cập nhật " + isoToVi(date)
	}
	return Citation{Title: "Địa chỉ: " + src, URL: link, Date: date, short: short}, true
}

// officeMapURL is the unit's map link: the editors' own, or a map search
// for the desk's address (no API key).
func officeMapURL(u *knowledge.Unit) string {
	if u.MapURL != "" {
		return u.MapURL
	}
	if u.Address == "" {
		return ""
	}
	return mapSearchURL(u.Address, u.Name)
}

var (
	parenRE = regexp.MustCompile(`\s*\([^)]*\)`)
	// Commas and slashes may stay as they are in a query.
	queryPunct = strings.NewReplacer("%2C", ",", "%2F", "/")
)

// mapSearchURL is a Google Maps search for an address in a unit of HCMC:
// the address without its notes in brackets, the unit unless the address
// names it, "TP.HCM"; written without diacritics, which map search
// reads alike, to keep the link short on a phone.
func mapSearchURL(address, unit string) string {
	q := strings.TrimSpace(parenRE.ReplaceAllString(address, ""))
	if !strings.Contains(names.Fold(q), names.Fold(unit)) {
		q += ", " + unit
	}
	q += ", TP.HCM"
	return mapSearchBase + queryPunct.Replace(url.QueryEscape(unaccent(q)))
}

// unaccent drops Vietnamese diacritics (đ → d), keeping case, digits and
// punctuation.
func unaccent(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		case r == 'Đ':
			r = 'D'
		}
		b.WriteRune(r)
	}
	return b.String()
}

var houseNumberRE = regexp.MustCompile(`\d[\dA-Za-z/\-]*`)

// sameBuilding reports whether two addresses are one place as far as their
// words tell: the same first house number, and every word of the shorter
// one in the longer ("Số 438, đường Phú Lợi" and "Số 438 đường Phú Lợi,
// khu phố 8").
func sameBuilding(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	na, nb := houseNumberRE.FindString(a), houseNumberRE.FindString(b)
	if na == "" || na != nb {
		return false
	}
	wa, wb := addressWords(a), addressWords(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	for w := range wa {
		if !wb[w] {
			return false
		}
	}
	return true
}

func addressWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(names.Fold(parenRE.ReplaceAllString(s, ""))) {
		switch w {
		case "so", "duong":
		default:
			out[w] = true
		}
	}
	return out
}

func trimDot(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), ".") }

// servicePointsText lists the city-level places that receive a matter's
// files, each with the details the knowledge base has.
func servicePointsText(ps []ServicePointRef) string {
	if len(ps) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Nơi tiếp nhận hồ sơ:\n")
	for _, p := range ps {
		b.WriteString("• " + p.Name)
		if p.Address != "" {
			b.WriteString(" — " + strings.TrimSuffix(p.Address, "."))
		} else {
			b.WriteString(" — địa chỉ " + textNotInKB)
		}
		if p.Phone != "" {
			b.WriteString(" — ĐT: " + p.Phone)
		}
		if p.Hours != "" {
			b.WriteString(" — Giờ làm việc: " + strings.TrimSuffix(p.Hours, "."))
		}
		if p.MapURL != "" { // last, with no full stop to spoil the link
			b.WriteString(" — Bản đồ: " + p.MapURL + "\n")
			continue
		}
		b.WriteString(".\n")
	}
	return b.String()
}
