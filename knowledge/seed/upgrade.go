package seed

import (
	"fmt"
	"slices"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// Upgrade brings a knowledge base saved from an older seed — one without
// the offices (no HCMC unit has an office source) — up to this seed's
// offices and FAQ, keeping what editors changed: units with no office
// detail get the seed's, and the seed's curated answers whose ids kb lacks
// are added. It returns what changed, in words for the version's changelog;
// nothing when kb already has the seed's offices (so it runs once).
func Upgrade(kb *knowledge.KB) ([]string, error) {
	for _, u := range kb.Units {
		if u.InHCMC() && u.OfficeSource != "" {
			return nil, nil
		}
	}
	fresh, err := Load()
	if err != nil {
		return nil, err
	}
	offices := map[string]knowledge.Unit{}
	for _, u := range fresh.Units {
		if u.InHCMC() && u.HasOffice() {
			offices[u.Code] = u
		}
	}
	units := 0
	for i := range kb.Units {
		u := &kb.Units[i]
		if o, ok := offices[u.Code]; ok && u.InHCMC() && !u.HasOffice() && u.OfficeNotes == "" {
			*u = u.WithOffice(o)
			units++
		}
	}
	answers := 0
	for _, c := range fresh.Curated {
		if !slices.ContainsFunc(kb.Curated, func(x knowledge.CuratedAnswer) bool { return x.ID == c.ID }) {
			kb.Curated = append(kb.Curated, c)
			answers++
		}
	}
	var changes []string
	if units > 0 {
		changes = append(changes, fmt.Sprintf("trụ sở (Trung tâm Phục vụ hành chính công, UBND) của %d phường, xã", units))
	}
	if answers > 0 {
		changes = append(changes, fmt.Sprintf("%d câu trả lời đã duyệt về giấy tờ sau sắp xếp", answers))
	}
	return changes, nil
}
