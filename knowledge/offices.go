package knowledge

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// Office kinds of the offices research file (seed/offices/hcmc_offices.csv).
const (
	OfficeDesk   = "hcc"    // Trung tâm Phục vụ hành chính công: the one-stop service desk
	OfficeUBND   = "ubnd"   // the People's Committee (and Council) seat
	OfficePolice = "police" // the ward police, or its ID-card point
	OfficeOther  = "other"  // anything else (not shown)
)

// OfficeRow is one row of the offices research file: one address (or
// phone) of one unit's office, from one source.
type OfficeRow struct {
	Row        int    `json:"-"` // spreadsheet row number (the header is row 1)
	UnitCode   string `json:"unit_code"`
	UnitName   string `json:"unit_name"`
	Kind       string `json:"office_kind"`
	Address    string `json:"address"`
	Phone      string `json:"phone"`
	Hours      string `json:"hours"`
	SourceURL  string `json:"source_url"` // a URL, or a description of where it was read
	SourceDate string `json:"source_date"`
	Confidence string `json:"confidence"` // high | medium | low
}

var isoDateRE = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)

// ParseOffices reads hcmc_offices.csv. Every bad cell is a RowError and its
// row is left out.
func ParseOffices(r io.Reader, file string) ([]OfficeRow, RowErrors, error) {
	t, err := readTable(r, file, []string{"unit_code", "unit_name", "office_kind", "address", "source_url", "source_date", "confidence"})
	if err != nil {
		return nil, nil, err
	}
	var out []OfficeRow
	t.each(func() {
		o := OfficeRow{
			Row:        t.row,
			UnitCode:   t.code("unit_code", 5),
			UnitName:   t.str("unit_name", true),
			Kind:       t.oneOf("office_kind", OfficeDesk, OfficeUBND, OfficePolice, OfficeOther),
			Address:    t.str("address", true),
			Phone:      t.str("phone", false),
			Hours:      t.str("hours", false),
			SourceURL:  t.str("source_url", true),
			SourceDate: t.str("source_date", true),
			Confidence: t.oneOf("confidence", "high", "medium", "low"),
		}
		if o.Phone != "" && !validPhone(o.Phone) {
			t.fail("phone", fmt.Sprintf("số điện thoại %q chỉ được gồm chữ số, khoảng trắng và các dấu . + - ( )", o.Phone))
		}
		if o.SourceDate != "" && !isoDateRE.MatchString(o.SourceDate) && !strings.Contains(o.SourceDate, "crawl") {
			t.fail("source_date", fmt.Sprintf("ngày nguồn %q cần có một ngày dạng YYYY-MM-DD", o.SourceDate))
		}
		if t.ok() {
			out = append(out, o)
		}
	})
	return out, t.errs, nil
}

func validPhone(s string) bool {
	return strings.Trim(s, "0123456789 .+-()") == "" && strings.ContainsAny(s, "0123456789")
}

// ParseCrosscheck reads crosscheck_hcc.csv: per unit code, the verdict of
// comparing its desk address in two sources ("agree", "DIFFER", …).
func ParseCrosscheck(r io.Reader, file string) (map[string]string, RowErrors, error) {
	t, err := readTable(r, file, []string{"unit_code", "verdict"})
	if err != nil {
		return nil, nil, err
	}
	out := map[string]string{}
	t.each(func() {
		code, verdict := t.code("unit_code", 5), t.str("verdict", true)
		if t.ok() {
			out[code] = verdict
		}
	})
	return out, t.errs, nil
}

// VerdictAgree is the crosscheck verdict of two sources giving one address.
const VerdictAgree = "agree"

// ApplyOffices fills the office fields of kb's HCMC units from the rows
// (see seed/offices/SOURCES.md for the rules): the highest-confidence desk
// and UBND addresses, the first police address and phone, the sources and
// their newest date, and a note for editors where another source gives
// another desk address (unless verdicts says the two agree). A row whose
// unit is not an HCMC unit of that name is a RowError (file names it).
func ApplyOffices(kb *KB, rows []OfficeRow, verdicts map[string]string, file string) RowErrors {
	byCode := map[string]int{}
	for i, u := range kb.Units {
		if u.InHCMC() {
			byCode[u.Code] = i
		}
	}
	var errs RowErrors
	perUnit := map[string][]OfficeRow{}
	var order []string
	for _, r := range rows {
		i, ok := byCode[r.UnitCode]
		switch {
		case !ok:
			errs = append(errs, RowError{File: file, Row: r.Row, Column: "unit_code", Reason: fmt.Sprintf("không có phường/xã/đặc khu mã %q của TP.HCM", r.UnitCode)})
			continue
		case names.Fold(kb.Units[i].Name) != names.Fold(r.UnitName):
			errs = append(errs, RowError{File: file, Row: r.Row, Column: "unit_name", Reason: fmt.Sprintf("tên %q không khớp mã %s (%s)", r.UnitName, r.UnitCode, kb.Units[i].Name)})
			continue
		}
		if _, seen := perUnit[r.UnitCode]; !seen {
			order = append(order, r.UnitCode)
		}
		perUnit[r.UnitCode] = append(perUnit[r.UnitCode], r)
	}
	for _, code := range order {
		u := &kb.Units[byCode[code]]
		*u = u.WithOffice(officeFrom(*u, perUnit[code], verdicts[code]))
	}
	return errs
}

// officeFrom is the office record of one unit from its rows.
func officeFrom(u Unit, rows []OfficeRow, verdict string) Unit {
	o := Unit{Code: u.Code}
	var used []OfficeRow
	desk, hasDesk := best(rows, OfficeDesk)
	if hasDesk {
		o.Address, o.OfficeConfidence = desk.Address, desk.Confidence
		o.OfficeSourceURL = firstHTTP(desk.SourceURL)
		if o.OfficeSourceURL == "" && sourceName(desk.SourceURL) == tb243Name {
			o.OfficeSourceURL = tb243URL
		}
		used = append(used, desk)
	}
	if ubnd, ok := best(rows, OfficeUBND); ok {
		o.UBNDAddress = stripLabels(ubnd.Address)
		used = append(used, ubnd)
	}
	var points, others []string
	for _, r := range rows {
		switch {
		case r.Kind == OfficePolice && o.PoliceAddress == "":
			o.PoliceAddress = r.Address
			used = append(used, r)
		case r.Kind == OfficeDesk && r.Phone != "" && o.Phone == "":
			o.Phone = r.Phone
			used = append(used, r)
		}
		if r.Kind != OfficeDesk || !isAddressRow(r) || !hasDesk || sameAddress(r.Address, desk.Address) {
			continue
		}
		if sourceName(r.SourceURL) == sourceName(desk.SourceURL) {
			points = append(points, r.Address) // another reception point of the same list
		} else if verdict != VerdictAgree {
			others = append(others, fmt.Sprintf("%s (%s, độ tin cậy %s)", r.Address, sourceName(r.SourceURL), confidenceWords[r.Confidence]))
		}
	}
	if len(points) > 0 {
		o.OfficeNotes = "Điểm tiếp nhận khác: " + strings.Join(points, "; ")
	}
	if len(others) > 0 {
		o.OfficeCheck = "Nguồn khác ghi địa chỉ Trung tâm khác: " + strings.Join(others, "; ")
	}
	var srcs []string
	for _, r := range used {
		if n := sourceName(r.SourceURL); !containsString(srcs, n) {
			srcs = append(srcs, n)
		}
		if d := isoDateRE.FindString(r.SourceDate); d > o.OfficeAsOf {
			o.OfficeAsOf = d
		}
	}
	o.OfficeSource = strings.Join(srcs, "; ")
	return o
}

var (
	confidenceRank  = map[string]int{"high": 3, "medium": 2, "low": 1}
	confidenceWords = map[string]string{"high": "cao", "medium": "trung bình", "low": "thấp"}
)

// best is the highest-confidence address row of a kind, the first in the
// file among equals.
func best(rows []OfficeRow, kind string) (OfficeRow, bool) {
	var b OfficeRow
	found := false
	for _, r := range rows {
		if r.Kind != kind || !isAddressRow(r) {
			continue
		}
		if !found || confidenceRank[r.Confidence] > confidenceRank[b.Confidence] {
			b, found = r, true
		}
	}
	return b, found
}

// isAddressRow is false for a row that only carries a phone and names the
// centre instead of a place ("Trung tâm Phục vụ hành chính công phường …
// – đường dây nóng …").
func isAddressRow(r OfficeRow) bool {
	return r.Phone == "" || !strings.HasPrefix(names.Fold(r.Address), "trung tam")
}

var labelRE = regexp.MustCompile(`\s*\[[^\]]*\]`)

// stripLabels drops the source's bracketed labels ("[HĐND - UBND]").
func stripLabels(s string) string { return strings.TrimSpace(labelRE.ReplaceAllString(s, "")) }

var addrNoise = regexp.MustCompile(`\b(so|duong)\b|[^a-z0-9/ ]`)

// sameAddress compares two addresses folded, without "số", "đường" and
// punctuation.
func sameAddress(a, b string) bool {
	norm := func(s string) string {
		return strings.Join(strings.Fields(addrNoise.ReplaceAllString(names.Fold(stripLabels(s)), " ")), " ")
	}
	return norm(a) == norm(b)
}

// The notice that lists the 168 desks (UBND TP.HCM, 25/06/2025, Phụ lục
// II), and the page where the research read it.
const (
	tb243Name = "TB 243/TB-UBND"
	tb243URL  = "https://thuviennhadat.vn/phap-luat/dia-chi-va-so-dien-thoai-168-trung-tam-phuc-vu-hanh-chinh-cong-cap-xa-tai-tphcm-687347.html"
)

// sourceName is a short name for a row's source: the notice TB 243/TB-UBND
// (its Phụ lục II, read through thuviennhadat.vn or a GitHub copy), the
// Truso.json map data, or the web site's host.
func sourceName(src string) string {
	switch {
	case strings.Contains(src, "5808048217"), strings.Contains(src, "dia-chi-va-so-dien-thoai-168-trung-tam"):
		return tb243Name
	case strings.Contains(src, "chaothanhphomoi"):
		return "Truso.json"
	case strings.Contains(src, "wikipedia.org"):
		return "Wikipedia"
	}
	if u, err := url.Parse(firstHTTP(src)); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.")
	}
	return src
}

// firstHTTP is the first http(s) URL of a source cell ("" if none).
func firstHTTP(s string) string {
	for _, f := range strings.Fields(s) {
		if strings.HasPrefix(f, "https://") || strings.HasPrefix(f, "http://") {
			return f
		}
	}
	return ""
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
