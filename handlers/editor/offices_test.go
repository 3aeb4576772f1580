package editor_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// The offices page lists the units whose sources disagree first, marked
// for checking; the form shows why and every office field; clearing the
// mark after checking saves it in the draft, and a bad date is refused
// with what was typed kept.
func TestOfficesToCheck(t *testing.T) {
	rg := newRig(t)
	ed := rg.login("editor")
	page := ed.get(rg, "/console/kb/offices").body
	mustContain(t, "offices list", page, `id="to-check">1 đơn vị cần kiểm tra`, "Cần kiểm tra</span>", "1 Hai Bà Trưng (Truso.json")
	if first, second := strings.Index(page, "Phường Tân Định"), strings.Index(page, "Phường Sài Gòn"); first < 0 || second < 0 || first > second {
		t.Errorf("the unit to check is not listed first (%d, %d)", first, second)
	}
	form := ed.get(rg, "/console/kb/offices/26737").body
	mustContain(t, "office form", form, `id="office-check"`, `name="ubnd_address"`, `name="police_address"`, `name="office_source_url"`,
		`value="2025-06-25"`, `<option value="medium" selected>`, "58B Nguyễn Đình Chiểu")

	fields := url.Values{"address": {"58B Nguyễn Đình Chiểu, phường Tân Định"}, "ubnd_address": {"Số 58B Nguyễn Đình Chiểu"},
		"phone": {"028.39102126"}, "office_source": {"TB 243/TB-UBND"}, "office_source_url": {"https://thuviennhadat.vn/x.html"},
		"office_as_of": {"hôm qua"}, "office_confidence": {"high"}, "office_check": {""}}
	r := ed.post(rg, "/console/kb/offices/26737", fields)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "YYYY-MM-DD") || !strings.Contains(r.body, `value="hôm qua"`) {
		t.Fatalf("bad date: status %d\n%s", r.status, clip(r.body))
	}
	fields.Set("office_as_of", "2026-03-28")
	if r := ed.post(rg, "/console/kb/offices/26737", fields); r.status != http.StatusOK && r.status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.status, clip(r.body))
	}
	kb, _, err := rg.store.DraftKB(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var u knowledge.Unit
	for _, x := range kb.Units {
		if x.Code == "26737" {
			u = x
		}
	}
	if u.OfficeCheck != "" || u.OfficeConfidence != "high" || u.UBNDAddress != "Số 58B Nguyễn Đình Chiểu" || u.Phone != "028.39102126" || u.OfficeAsOf != "2026-03-28" {
		t.Errorf("draft office = %+v", u)
	}
	if page := ed.get(rg, "/console/kb/offices").body; strings.Contains(page, `id="to-check"`) {
		t.Errorf("still marked to check after clearing")
	}
}
