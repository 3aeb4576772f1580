package knowledge

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every error that rejects an editor's record:
// errors.Is(err, ErrInvalid) tells the console to show the reasons (a
// Problems, via errors.As) next to the fields instead of a server error.
var ErrInvalid = errors.New("dữ liệu không hợp lệ")

// Problem is one reason a record is rejected: the field (named as its CSV
// column) and why, in Vietnamese.
type Problem struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Problems is the list of reasons a record is rejected. It is an error that
// matches ErrInvalid.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Field + ": " + p.Reason
	}
	return ErrInvalid.Error() + ": " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (ps Problems) Is(target error) bool { return target == ErrInvalid }

// err returns ps as an error, nil when empty.
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func (ps *Problems) add(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Reason: fmt.Sprintf(format, args...)})
}

// Refs answers whether the records another record points to exist in the
// same KB version. A nil func skips that check.
type Refs struct {
	Procedure func(id string) bool   // a procedure with this id exists
	HCMCUnit  func(code string) bool // a unit with this code exists and is in HCMC
}

// RefsOf checks references against kb.
func RefsOf(kb *KB) Refs {
	procs, units := map[string]bool{}, map[string]bool{}
	for _, p := range kb.Procedures {
		procs[p.ID] = true
	}
	for _, u := range kb.Units {
		if u.InHCMC() {
			units[u.Code] = true
		}
	}
	return Refs{
		Procedure: func(id string) bool { return procs[id] },
		HCMCUnit:  func(code string) bool { return units[code] },
	}
}

var slugRE = regexp.MustCompile(`^[a-z0-9-]{2,60}$`)

func checkSlug(ps *Problems, field, v string) {
	switch {
	case v == "":
		ps.add(field, "bắt buộc, đang để trống")
	case !slugRE.MatchString(v):
		ps.add(field, "mã %q chỉ gồm chữ thường không dấu, số và dấu gạch ngang (2–60 ký tự)", v)
	}
}

func checkRequired(ps *Problems, field, v string) {
	if strings.TrimSpace(v) == "" {
		ps.add(field, "bắt buộc, đang để trống")
	}
}

func checkHTTPS(ps *Problems, field, v string) {
	if v != "" && (!strings.HasPrefix(v, "https://") || len(v) <= len("https://") || strings.ContainsAny(v, " \t\n")) {
		ps.add(field, "%q phải là đường dẫn bắt đầu bằng https://", v)
	}
}

func checkOneOf(ps *Problems, field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	if v == "" {
		ps.add(field, "bắt buộc, đang để trống; chỉ nhận: %s", strings.Join(allowed, ", "))
		return
	}
	ps.add(field, "giá trị %q không hợp lệ; chỉ nhận: %s", v, strings.Join(allowed, ", "))
}

// checkItems rejects list items that contain the list's separator, which
// would split them on the next export and import.
func checkItems(ps *Problems, field string, items []string, sep string) {
	for _, it := range items {
		if strings.Contains(it, sep) {
			ps.add(field, "mục %q không được chứa ký tự %q (dùng để ngăn cách các mục)", it, sep)
		}
	}
}

// Validate checks a procedure as an editor saves it.
func (p Procedure) Validate() error {
	var ps Problems
	checkSlug(&ps, "id", p.ID)
	checkRequired(&ps, "name", p.Name)
	checkRequired(&ps, "authority", p.Authority)
	if len(p.OfficeLevels) == 0 {
		ps.add("office_levels", "bắt buộc, đang để trống")
	}
	for _, l := range p.OfficeLevels {
		switch l {
		case LevelCommune, LevelCommunePolice, LevelLandOffice, LevelCity, LevelOther:
		default:
			ps.add("office_levels", "cấp %q không hợp lệ; chỉ nhận: xa, xa_cong_an, vpdkdd, thanh_pho, khac", l)
		}
	}
	checkOneOf(&ps, "file_anywhere", p.FileAnywhere, "yes", "no", "unknown")
	checkOneOf(&ps, "online", p.Online, "yes", "partial", "no", "unknown")
	checkOneOf(&ps, "confidence", p.Confidence, "high", "medium", "low")
	checkItems(&ps, "aliases", p.Aliases, "|")
	checkItems(&ps, "examples", p.Examples, "|")
	checkItems(&ps, "documents", p.Documents, ";")
	for _, u := range p.SourceURLs {
		// The seed cites a few http:// pages; new links should be https.
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") || strings.ContainsAny(u, " |") {
			ps.add("source_url", "%q không phải là đường dẫn http(s)", u)
		}
	}
	return ps.err()
}

// ValidateOffice checks the office fields of a unit, and that the unit is
// one of HCMC's (refs.HCMCUnit).
func (u Unit) ValidateOffice(refs Refs) error {
	var ps Problems
	switch {
	case u.Code == "":
		ps.add("code", "bắt buộc, đang để trống")
	case refs.HCMCUnit != nil && !refs.HCMCUnit(u.Code):
		ps.add("code", "không có phường/xã/đặc khu mã %q của TP.HCM", u.Code)
	}
	checkHTTPS(&ps, "map_url", u.MapURL)
	for _, f := range [][2]string{{"phone", u.Phone}, {"hotline", u.Hotline}} {
		if f[1] != "" && !validPhone(f[1]) {
			ps.add(f[0], "số điện thoại %q chỉ được gồm chữ số, khoảng trắng và các dấu . + - ( )", f[1])
		}
	}
	if u.OfficeSourceURL != "" && !strings.HasPrefix(u.OfficeSourceURL, "https://") && !strings.HasPrefix(u.OfficeSourceURL, "http://") {
		ps.add("office_source_url", "%q không phải là đường dẫn http(s)", u.OfficeSourceURL)
	}
	checkDate(&ps, "office_as_of", u.OfficeAsOf)
	if u.OfficeConfidence != "" {
		checkOneOf(&ps, "office_confidence", u.OfficeConfidence, "high", "medium", "low")
	}
	return ps.err()
}

// checkDate accepts an empty value or a date written YYYY-MM-DD.
func checkDate(ps *Problems, field, v string) {
	if v == "" {
		return
	}
	if _, err := time.Parse("2006-01-02", v); err != nil {
		ps.add(field, "ngày %q phải có dạng YYYY-MM-DD", v)
	}
}

// Validate checks a service point and that the procedures it handles exist.
func (p ServicePoint) Validate(refs Refs) error {
	var ps Problems
	checkSlug(&ps, "id", p.ID)
	checkRequired(&ps, "name", p.Name)
	checkRequired(&ps, "address", p.Address)
	checkHTTPS(&ps, "map_url", p.MapURL)
	for _, m := range p.Matters {
		if refs.Procedure != nil && !refs.Procedure(m) {
			ps.add("matters", "không có thủ tục mã %q", m)
		}
	}
	return ps.err()
}

// Validate checks a curated answer and the procedure and unit it names.
func (c CuratedAnswer) Validate(refs Refs) error {
	var ps Problems
	checkSlug(&ps, "id", c.ID)
	if len(c.Questions) == 0 {
		ps.add("questions", "cần ít nhất một câu hỏi")
	}
	checkItems(&ps, "questions", c.Questions, "|")
	checkRequired(&ps, "answer", c.Answer)
	if c.ProcedureID != "" && refs.Procedure != nil && !refs.Procedure(c.ProcedureID) {
		ps.add("procedure_id", "không có thủ tục mã %q", c.ProcedureID)
	}
	if c.UnitCode != "" && refs.HCMCUnit != nil && !refs.HCMCUnit(c.UnitCode) {
		ps.add("unit_code", "không có phường/xã/đặc khu mã %q của TP.HCM", c.UnitCode)
	}
	checkHTTPS(&ps, "source_url", c.SourceURL)
	checkSources(&ps, "sources", c.Sources)
	if c.Confidence != "" {
		checkOneOf(&ps, "confidence", c.Confidence, "high", "medium", "low")
	}
	return ps.err()
}

// Validate checks a synonym (already folded, see FoldSynonym).
func (s Synonym) Validate() error {
	var ps Problems
	checkRequired(&ps, "term", s.Phrase)
	checkRequired(&ps, "means", s.Means)
	if s.Phrase != "" && s.Phrase == s.Means {
		ps.add("means", "trùng với từ gốc %q (sau khi bỏ dấu)", s.Phrase)
	}
	return ps.err()
}
