package knowledge_test

import (
	"errors"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// Only the new HCMC units' codes pass; an old code says what it became,
// another province's unit and a made-up code say so.
func TestCheckHCMCUnit(t *testing.T) {
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code string
		want string // "" : valid
		now  []string
	}{
		{"26740", "", nil}, // Phường Sài Gòn
		{"26737", "", nil}, // Phường Tân Định (also old Phường Đa Kao's code: the new unit wins)
		{"25747", "", nil}, // Phường Thủ Dầu Một, former Bình Dương
		{"26734", "26734 is an old ward code (Phường Tân Định, before 1 July 2025); it is now 26737 Phường Tân Định", []string{"26737"}},
		{"26746", "26746 is an old ward code (Phường Nguyễn Thái Bình, before 1 July 2025); it was split between 26740 Phường Sài Gòn, 26743 Phường Bến Thành", []string{"26743", "26740"}},
		{"27502", "27502 is an old commune code (Xã An Phú, before 1 July 2025); it is now 27508 Xã An Nhơn Tây", []string{"27508"}},
		{"00001", "00001 is an old ward code (Phường Phúc Xá, Thành phố Hà Nội, before 1 July 2025): not a Ho Chi Minh City unit", nil},
		{"00004", "00004 is Phường Ba Đình, Thành phố Hà Nội: not a Ho Chi Minh City unit", nil},
		{"99999", "99999 is not the code of a Ho Chi Minh City unit (phường, xã or đặc khu after 1 July 2025)", nil},
	}
	for _, tt := range tests {
		err := kb.CheckHCMCUnit(tt.code)
		var uce *knowledge.UnitCodeError
		switch {
		case tt.want == "" && tt.now == nil:
			if err != nil {
				t.Errorf("%s: %v, want valid", tt.code, err)
			}
			continue
		case !errors.As(err, &uce):
			t.Errorf("%s: %v, want a *UnitCodeError", tt.code, err)
			continue
		case tt.want != "" && err.Error() != tt.want:
			t.Errorf("%s:\n got %s\nwant %s", tt.code, err, tt.want)
		}
		var now []string
		for _, n := range uce.Now {
			now = append(now, n.Code)
		}
		if len(now) != len(tt.now) || (len(now) > 0 && !sameSet(now, tt.now)) {
			t.Errorf("%s: now %v, want %v", tt.code, now, tt.now)
		}
	}
}

func sameSet(a, b []string) bool {
	m := map[string]bool{}
	for _, s := range a {
		m[s] = true
	}
	for _, s := range b {
		if !m[s] {
			return false
		}
	}
	return len(a) == len(b)
}
