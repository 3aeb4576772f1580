package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// textNotInKB stands for an office detail editors have not entered yet:
// never a guess.
const textNotInKB = "chưa có trong cơ sở dữ liệu của Hỏi Phường"

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
	o.Address, o.Phone, o.Hotline, o.Hours, o.MapURL = u.Address, u.Phone, u.Hotline, u.Hours, u.MapURL
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

// officeText says where the unit's office (UBND, bộ phận một cửa) is,
// from the knowledge base only: what editors have not entered is said to
// be missing.
func officeText(u *knowledge.Unit) string {
	if u.Address == "" && u.Phone == "" && u.Hotline == "" && u.Hours == "" && u.MapURL == "" {
		return textNoAddress + "\n"
	}
	var b strings.Builder
	addr := u.Address
	if addr == "" {
		addr = "địa chỉ " + textNotInKB
	}
	fmt.Fprintf(&b, "Trụ sở UBND %s: %s", u.Name, strings.TrimSuffix(addr, "."))
	switch {
	case u.Phone != "":
		fmt.Fprintf(&b, " — ĐT: %s", u.Phone)
	case u.Hotline == "":
		b.WriteString(" — số điện thoại " + textNotInKB)
	}
	if u.Hotline != "" {
		fmt.Fprintf(&b, " — Đường dây nóng: %s", u.Hotline)
	}
	b.WriteString(".\n")
	if u.Hours != "" {
		fmt.Fprintf(&b, "Giờ làm việc: %s.\n", strings.TrimSuffix(u.Hours, "."))
	}
	if u.MapURL != "" {
		fmt.Fprintf(&b, "Bản đồ: %s\n", u.MapURL)
	}
	if u.OfficeNotes != "" {
		fmt.Fprintf(&b, "Lưu ý: %s.\n", strings.TrimSuffix(u.OfficeNotes, "."))
	}
	return b.String()
}

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
