package seed

import (
	"fmt"
	"slices"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// Upgrade brings a knowledge base saved from an older seed up to this
// seed, keeping what editors changed. Each step runs once, when kb lacks
// what it adds:
//   - offices (no HCMC unit has an office source): units with no office
//     detail get the seed's, and the seed's curated answers (the FAQ) whose
//     ids kb lacks are added;
//   - example questions (no procedure has any): procedures get the seed's,
//     by id.
//
// It returns what changed, in words for the version's changelog; nothing
// when kb is up to date.
func Upgrade(kb *knowledge.KB) ([]string, error) {
	needOffices, needExamples := !hasOffices(kb), !hasExamples(kb)
	if !needOffices && !needExamples {
		return nil, nil
	}
	fresh, err := Load()
	if err != nil {
		return nil, err
	}
	var changes []string
	if needOffices {
		changes = append(changes, upgradeOffices(kb, fresh)...)
	}
	if needExamples {
		changes = append(changes, upgradeExamples(kb, fresh)...)
	}
	return changes, nil
}

func hasOffices(kb *knowledge.KB) bool {
	return slices.ContainsFunc(kb.Units, func(u knowledge.Unit) bool { return u.InHCMC() && u.OfficeSource != "" })
}

func hasExamples(kb *knowledge.KB) bool {
	return slices.ContainsFunc(kb.Procedures, func(p knowledge.Procedure) bool { return len(p.Examples) > 0 })
}

func upgradeOffices(kb, fresh *knowledge.KB) []string {
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
	return changes
}

// upgradeExamples gives the procedures the seed's example questions, which
// the matter reader learns from.
func upgradeExamples(kb, fresh *knowledge.KB) []string {
	byID := map[string][]string{}
	for _, p := range fresh.Procedures {
		byID[p.ID] = p.Examples
	}
	n := 0
	for i := range kb.Procedures {
		if ex := byID[kb.Procedures[i].ID]; len(ex) > 0 {
			kb.Procedures[i].Examples = ex
			n += len(ex)
		}
	}
	if n == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%d câu hỏi mẫu của các thủ tục", n)}
}
