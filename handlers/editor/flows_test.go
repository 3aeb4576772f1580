package editor_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	body = html.UnescapeString(body)
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q\n%s", what, w, clip(body))
		}
	}
}

// TestProcedureFormKeepsWhatWasTyped: a bad form comes back with the
// Vietnamese reason next to the field and every typed value; the store's
// own reason shows too; a good one lands in the draft.
func TestProcedureFormKeepsWhatWasTyped(t *testing.T) {
	rg := newRig(t)
	s := rg.login("editor")
	f := procedureForm("khai-sinh", "15.000 đồng")
	f.Set("name", "")
	f.Set("source_urls", "dichvucong.gov.vn")
	f.Set("aliases", "khai sinh cho con\nlàm khai sinh")
	r := s.post(rg, "/console/kb/procedures/khai-sinh", f)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", r.status)
	}
	mustContain(t, "bad form", r.body, "Hãy nhập tên thủ tục.", "Mỗi dòng phải là một đường dẫn", "15.000 đồng",
		"khai sinh cho con\nlàm khai sinh", "dichvucong.gov.vn")

	f = procedureForm("khai-sinh", "5.000 đồng")
	f.Set("aliases", "khai sinh | cho con")
	r = s.post(rg, "/console/kb/procedures/khai-sinh", f)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("store-refused form: %d", r.status)
	}
	mustContain(t, "store-refused form", r.body, `"|"`, `role="alert">`, "5.000 đồng", "khai sinh | cho con")

	r = s.post(rg, "/console/kb/procedures/khai-sinh", procedureForm("khai-sinh", "8.000 đồng"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("good form: %d %s", r.status, clip(r.body))
	}
	mustContain(t, "procedure page", s.get(rg, r.header.Get("Location")).body, "Đã lưu vào bản nháp", "8.000 đồng")
	mustContain(t, "overview", s.get(rg, "/console/kb/").body, "Bản nháp", "Thủ tục", "Lần sửa thứ")

	r = s.post(rg, "/console/kb/procedures", procedureForm("khai-sinh", "1 đồng"))
	if r.status != http.StatusConflict {
		t.Errorf("a new procedure with an existing id: %d", r.status)
	}
}

// TestPublishAndRollbackThroughThePages: the draft published with a
// changelog and as-of date becomes the version in use; another editor's
// publish under way is a clear message; rolling back republishes.
func TestPublishAndRollbackThroughThePages(t *testing.T) {
	rg := newRig(t)
	s := rg.login("editor")
	s.post(rg, "/console/kb/procedures/khai-sinh", procedureForm("khai-sinh", "8.000 đồng"))

	r := s.post(rg, "/console/kb/publish", url.Values{"changelog": {""}, "as_of": {"2025-06-30"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("publish without changelog: %d", r.status)
	}
	mustContain(t, "publish without changelog", r.body, "Hãy ghi tóm tắt thay đổi")

	// Another editor's publish under way holds the draft.
	if _, err := rg.store.ClaimDraft(t.Context()); err != nil {
		t.Fatal(err)
	}
	r = s.post(rg, "/console/kb/publish", url.Values{"changelog": {"Lệ phí khai sinh"}, "as_of": {"2025-06-30"}})
	if err := rg.store.ReleaseDraft(t.Context(), draftVersion(t, rg)); err != nil {
		t.Fatal(err)
	}
	if r.status != http.StatusConflict {
		t.Fatalf("publish while another editor publishes: %d", r.status)
	}
	mustContain(t, "publish race", r.body, "Một biên tập viên khác vừa xuất bản bản nháp này / đang xuất bản. Tải lại trang để xem phiên bản mới.", "Lệ phí khai sinh")

	r = s.post(rg, "/console/kb/publish", url.Values{"changelog": {"Lệ phí khai sinh"}, "as_of": {"2025-06-30"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", r.status, clip(r.body))
	}
	page := s.get(rg, r.header.Get("Location")).body
	mustContain(t, "overview after publish", page, "Đã xuất bản phiên bản mới", "Phiên bản 2", "30/06/2025", "Lệ phí khai sinh", "Chưa có bản nháp")
	if kb, _ := rg.store.Latest(t.Context()); kb.Procedures[0].Fee != "8.000 đồng" {
		t.Errorf("published fee %q", kb.Procedures[0].Fee)
	}

	r = s.post(rg, "/console/kb/publish", url.Values{"changelog": {"Lần nữa"}, "as_of": {"2025-06-30"}})
	if r.status != http.StatusConflict {
		t.Errorf("publishing a draft already published: %d", r.status)
	}

	r = s.post(rg, "/console/kb/versions/1/rollback", nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("rollback: %d %s", r.status, clip(r.body))
	}
	mustContain(t, "overview after rollback", s.get(rg, r.header.Get("Location")).body, "Đã khôi phục", "Phiên bản 3", "Khôi phục phiên bản 1")
	if kb, _ := rg.store.Latest(t.Context()); kb.Procedures[0].Fee != "Miễn lệ phí" {
		t.Errorf("fee after rollback %q", kb.Procedures[0].Fee)
	}
}

// TestPreviewShowsDraftBesidePublished: the preview answers from the draft
// and from the published knowledge base.
func TestPreviewShowsDraftBesidePublished(t *testing.T) {
	rg := newRig(t)
	s := rg.login("editor")
	s.post(rg, "/console/kb/procedures/khai-sinh", procedureForm("khai-sinh", "8.000 đồng"))
	r := s.get(rg, "/console/kb/preview?q="+url.QueryEscape("làm giấy khai sinh ở phường Sài Gòn lệ phí bao nhiêu"))
	if r.status != http.StatusOK {
		t.Fatalf("preview: %d", r.status)
	}
	body := html.UnescapeString(r.body)
	draft, published, ok := strings.Cut(body, `id="pane-published-box"`)
	if !ok {
		t.Fatalf("no published pane:\n%s", clip(body))
	}
	if !strings.Contains(draft, "8.000 đồng") || strings.Contains(published, "8.000 đồng") || !strings.Contains(published, "Miễn lệ phí") {
		t.Errorf("draft pane should say 8.000 đồng and the published one Miễn lệ phí:\n%s", body[strings.Index(body, "<main"):])
	}
}

// TestUnansweredGroupBecomesAlias: one step turns a group into an example
// question (the default: the matter reader learns from it) or an alias of
// a procedure in the draft, marks it done and records it.
func TestUnansweredGroupBecomesAlias(t *testing.T) {
	tests := []struct {
		as                  string
		wantExamples, wantA int
	}{
		{as: "", wantExamples: 1},
		{as: "example", wantExamples: 1},
		{as: "alias", wantA: 1},
	}
	for _, tt := range tests {
		t.Run("as="+tt.as, func(t *testing.T) {
			rg := newRig(t)
			s := rg.login("editor")
			mustContain(t, "unanswered", s.get(rg, "/console/kb/unanswered").body, "lam can cuoc gan chip o dau", "2 lần", "Không hiểu câu hỏi: 2", "làm căn cước gắn chip ở đâu", "đổi bằng lái xe quốc tế", "Câu hỏi mẫu")
			form := url.Values{"key": {"lam can cuoc gan chip o dau"}, "question": {"cccd gắn chip"}, "procedure": {"chung-thuc"}}
			if tt.as != "" {
				form.Set("as", tt.as)
			}
			r := s.post(rg, "/console/kb/unanswered/alias", form)
			if r.status != http.StatusSeeOther {
				t.Fatalf("alias: %d %s", r.status, clip(r.body))
			}
			kb, _, _ := rg.store.DraftKB(t.Context())
			p := kb.Procedures[1]
			if p.ID != "chung-thuc" || len(p.Aliases) != tt.wantA || len(p.Examples) != tt.wantExamples {
				t.Fatalf("%s: aliases %q examples %q", p.ID, p.Aliases, p.Examples)
			}
			if got := append(p.Aliases, p.Examples...); got[0] != "cccd gắn chip" {
				t.Errorf("added %q", got)
			}
			if groups, _ := rg.bot.Unanswered(t.Context(), time.Time{}, 10); len(groups) != 1 || groups[0].Key != "doi bang lai xe quoc te" {
				t.Errorf("open groups after the alias: %+v", groups)
			}
			mustContain(t, "audit", s.get(rg, "/console/kb/audit?action=unanswered_done").body, "cccd gắn chip", "Chứng thực bản sao")
			page := s.get(rg, r.header.Get("Location")).body
			mustContain(t, "unanswered after", page, "Đã thêm câu hỏi", "1 nhóm")
		})
	}
}

// TestUnansweredGroupBecomesCurated: the prefilled form carries the
// examples; saving marks the group done.
func TestUnansweredGroupBecomesCurated(t *testing.T) {
	rg := newRig(t)
	s := rg.login("editor")
	page := s.get(rg, "/console/kb/curated/new?group="+url.QueryEscape("lam can cuoc gan chip o dau")).body
	mustContain(t, "prefilled form", page, "làm căn cước gắn chip ở đâu", `value="tl-lam-can-cuoc-gan-chip-o-dau"`, `name="group" value="lam can cuoc gan chip o dau"`)
	r := s.post(rg, "/console/kb/curated", url.Values{"id": {"tl-lam-can-cuoc-gan-chip-o-dau"}, "group": {"lam can cuoc gan chip o dau"},
		"questions": {"làm căn cước gắn chip ở đâu"}, "answer": {"Công an phường nơi bạn cư trú làm căn cước."}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("curated from group: %d %s", r.status, clip(r.body))
	}
	if groups, _ := rg.bot.Unanswered(t.Context(), time.Time{}, 10); len(groups) != 1 {
		t.Errorf("open groups after the curated answer: %+v", groups)
	}
	kb, _, _ := rg.store.DraftKB(t.Context())
	if _, ok := findCurated(kb, "tl-lam-can-cuoc-gan-chip-o-dau"); !ok {
		t.Errorf("no curated answer in the draft: %+v", kb.Curated)
	}
}

// TestAuditSearchAndExport: filters by actor, action, text and dates,
// pages, and exports the same entries as CSV.
func TestAuditSearchAndExport(t *testing.T) {
	rg := newRig(t)
	ed, ad := rg.login("editor"), rg.login("admin")
	for i := range 60 {
		ed.post(rg, "/console/kb/synonyms", url.Values{"phrase": {"tu" + string(rune('a'+i%26)) + string(rune('a'+i/26))}, "means": {"nghĩa"}})
	}
	ad.post(rg, "/console/kb/offices/26740", url.Values{"address": {"45 Lê Lợi"}})
	page := ed.get(rg, "/console/kb/audit?actor=editor").body
	if n := strings.Count(page, "<tr>") - 1; n != 50 {
		t.Errorf("first page shows %d entries, want 50", n)
	}
	mustContain(t, "audit page 1", page, "Trang sau")
	page = ed.get(rg, "/console/kb/audit?actor=editor&page=2").body
	if n := strings.Count(page, "<tr>") - 1; n < 10 || n > 11 || strings.Contains(page, "Trang sau") {
		t.Errorf("second page shows %d entries, want the other 10 (and the draft's creation)", n)
	}
	page = ed.get(rg, "/console/kb/audit?actor=admin&action=update&text=26740&from=2025-07-01&to=2025-07-01").body
	mustContain(t, "admin's office edit", page, "26740", "45 Lê Lợi")
	if strings.Contains(page, "tuaa") {
		t.Errorf("the filter lets other actions through")
	}
	if page := ed.get(rg, "/console/kb/audit?actor=admin&from=2025-07-02").body; strings.Contains(page, "26740") {
		t.Errorf("the date filter lets earlier entries through")
	}
	r := ed.get(rg, "/console/kb/audit.csv?actor=admin")
	if r.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(r.body, "update,office,26740") || strings.Contains(r.body, "tuaa") {
		t.Errorf("audit csv: %s %s", r.header.Get("Content-Type"), r.body)
	}
	if r := ed.get(rg, "/console/kb/audit?from=hôm-qua"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("bad date: %d", r.status)
	}
}

func draftVersion(t *testing.T, rg *rig) int {
	t.Helper()
	_, d, err := rg.store.DraftKB(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return d.Version
}

func findCurated(kb *knowledge.KB, id string) (knowledge.CuratedAnswer, bool) {
	for _, c := range kb.Curated {
		if c.ID == id {
			return c, true
		}
	}
	return knowledge.CuratedAnswer{}, false
}

// TestUnansweredListLeavesOutHandoffRequests: requests for a person and
// waiting citizens' questions about the wait are not on the editors'
// list; the groups are ranked by count, then the most recently asked, each
// with its count and when it was last asked.
func TestUnansweredListLeavesOutHandoffRequests(t *testing.T) {
	rg := newRig(t) // fallbacks: "làm căn cước gắn chip ở đâu" ×2, "đổi bằng lái xe quốc tế"
	for range 4 {
		rg.reply("gặp cán bộ", bot.KindHandoff)
		rg.reply("cho tôi nói chuyện với người thật", bot.KindHandoff)
		rg.reply("còn bao lâu nữa vậy", bot.KindHandoff)
		rg.reply("tới lượt em chưa ạ", bot.KindHandoff)
	}
	rg.clock.mu.Lock()
	rg.clock.t = rg.clock.t.Add(90 * time.Minute) // 10:30
	rg.clock.mu.Unlock()
	rg.unanswered("xin giấy phép karaoke")
	rg.unanswered("xin giấy phép karaoke")
	rg.unanswered("làm hộ chiếu mất bao lâu")

	s := rg.login("editor")
	page := html.UnescapeString(s.get(rg, "/console/kb/unanswered").body)
	for _, gone := range []string{"gap can bo", "cho toi noi chuyen voi nguoi that", "con bao lau nua vay", "toi luot em chua a"} {
		if strings.Contains(page, `">`+gone+` <span class="count">`) {
			t.Errorf("the list shows %q", gone)
		}
	}
	mustContain(t, "unanswered list", page, "4 nhóm",
		`xin giay phep karaoke <span class="count">2 lần · lần gần nhất 01/07/2025 10:30</span>`,
		`lam can cuoc gan chip o dau <span class="count">2 lần · lần gần nhất 01/07/2025 09:00</span>`,
		`lam ho chieu mat bao lau <span class="count">1 lần · lần gần nhất 01/07/2025 10:30</span>`)
	order := []string{"xin giay phep karaoke", "lam can cuoc gan chip o dau", "lam ho chieu mat bao lau", "doi bang lai xe quoc te"}
	last := -1
	for _, key := range order {
		i := strings.Index(page, `">`+key+` <span class="count">`)
		if i < last {
			t.Errorf("%q is not in rank order %q", key, order)
		}
		last = i
	}
	mustContain(t, "overview", s.get(rg, "/console/kb").body, `<span class="big">4</span> nhóm câu hỏi`)
}
