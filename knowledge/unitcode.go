package knowledge

import (
	"fmt"
	"strings"
)

// UnitCodeError says why a code is not the code of a new Ho Chi Minh City
// unit (what staff work): an old commune code (before 1 July 2025) with
// the new units it went into, a unit of another province, or no unit at
// all.
type UnitCodeError struct {
	Code string
	// Old is set for an old commune code: its type (phuong | xa |
	// thi_tran), name and the new HCMC units it went into (none when it
	// went to another province, OldProvince then).
	Old         bool
	OldType     string
	OldName     string
	OldProvince string
	Now         []Target
	// Elsewhere is the new unit of another province with this code.
	Elsewhere *Unit
}

func (e *UnitCodeError) Error() string {
	switch {
	case e.Elsewhere != nil:
		return fmt.Sprintf("%s is %s, %s: not a Ho Chi Minh City unit", e.Code, e.Elsewhere.Name, e.Elsewhere.Province)
	case e.Old && len(e.Now) == 1:
		return fmt.Sprintf("%s is an old %s code (%s, before 1 July 2025); it is now %s", e.Code, oldTypeWord(e.OldType),
			e.OldName, e.Now[0].Code+" "+e.Now[0].Name)
	case e.Old && len(e.Now) > 1:
		return fmt.Sprintf("%s is an old %s code (%s, before 1 July 2025); it was split between %s", e.Code,
			oldTypeWord(e.OldType), e.OldName, targetList(e.Now))
	case e.Old:
		return fmt.Sprintf("%s is an old %s code (%s, %s, before 1 July 2025): not a Ho Chi Minh City unit", e.Code,
			oldTypeWord(e.OldType), e.OldName, e.OldProvince)
	}
	return fmt.Sprintf("%s is not the code of a Ho Chi Minh City unit (phường, xã or đặc khu after 1 July 2025)", e.Code)
}

func oldTypeWord(t string) string {
	switch t {
	case "phuong":
		return "ward"
	case "thi_tran":
		return "township"
	}
	return "commune"
}

func targetList(ts []Target) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.Code + " " + t.Name
	}
	return strings.Join(parts, ", ")
}

// CheckHCMCUnit returns nil when code is the code of one of kb's new Ho
// Chi Minh City units, else a *UnitCodeError. Old and new codes share one
// number space: a code that is both (an old ward's code reused by a new
// unit) is the new unit's.
func (kb *KB) CheckHCMCUnit(code string) error {
	e := &UnitCodeError{Code: code}
	for i, u := range kb.Units {
		if u.Code != code {
			continue
		}
		if u.InHCMC() {
			return nil
		}
		e.Elsewhere = &kb.Units[i]
	}
	if e.Elsewhere != nil {
		return e
	}
	seen := map[string]bool{}
	for _, m := range kb.Mappings {
		if m.OldCode != code {
			continue
		}
		e.Old, e.OldType, e.OldName, e.OldProvince = true, m.OldType, m.OldName, m.OldProvince
		if m.NewProvinceCode == HCMCProvinceCode && !seen[m.NewCode] {
			seen[m.NewCode] = true
			e.Now = append(e.Now, Target{Code: m.NewCode, Name: m.NewName, Share: m.Share,
				Resolution: m.Resolution, Clause: m.Clause})
		}
	}
	return e
}
