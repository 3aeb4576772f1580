package editor_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A curated answer is edited with its legal basis, its sources (one a
// line, with dates) and its confidence; a source without a link is refused
// next to the field with what was typed kept, and a good one is saved in
// the draft, versioned like the rest of the KB.
func TestCuratedSourcesEdited(t *testing.T) {
	rg := newRig(t)
	ed := rg.login("editor")
	form := url.Values{"questions": {"mấy giờ phường mở cửa\nphuong lam viec may gio"}, "answer": {"Phường làm việc giờ hành chính."},
		"legal_basis": {"Điều 10 NQ 190/2025/QH15"}, "confidence": {"low"},
		"sources": {"plo.vn — https://plo.vn/a-post860817.html (2025-07-17)\nbáo không có đường dẫn"}}
	r := ed.post(rg, "/console/kb/curated/gio-lam", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "báo không có đường dẫn") || !strings.Contains(r.body, "cần một đường dẫn") {
		t.Fatalf("bad source: status %d\n%s", r.status, clip(r.body))
	}
	form.Set("sources", "plo.vn — https://plo.vn/a-post860817.html (2025-07-17)\nhttps://thuvienphapluat.vn/b.html")
	if r := ed.post(rg, "/console/kb/curated/gio-lam", form); r.status != http.StatusOK && r.status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.status, clip(r.body))
	}
	kb, _, err := rg.store.DraftKB(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c, ok := findCurated(kb, "gio-lam")
	if !ok || c.LegalBasis != "Điều 10 NQ 190/2025/QH15" || c.Confidence != "low" || len(c.Sources) != 2 ||
		c.Sources[0].Title != "plo.vn" || c.Sources[0].Date != "2025-07-17" || c.Sources[1].URL != "https://thuvienphapluat.vn/b.html" {
		t.Errorf("draft curated answer = %+v", c)
	}
	page := ed.get(rg, "/console/kb/curated/gio-lam").body
	mustContain(t, "curated form", page, "plo.vn — https://plo.vn/a-post860817.html (2025-07-17)", `value="Điều 10 NQ 190/2025/QH15"`, `<option value="low" selected>`)
	mustContain(t, "curated list", ed.get(rg, "/console/kb/curated").body, "Nguồn thứ cấp", "Căn cứ: Điều 10 NQ 190/2025/QH15")
	r = ed.get(rg, "/console/kb/export/draft/curated_answers.csv")
	if r.status != http.StatusOK || !strings.Contains(r.body, "plo.vn — https://plo.vn/a-post860817.html (2025-07-17) | https://thuvienphapluat.vn/b.html,low") {
		t.Errorf("export: %d\n%s", r.status, r.body)
	}
}
