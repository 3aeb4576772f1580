package editor_test

import (
	"bytes"
	"errors"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/handlers/editor"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

// upload posts a CSV file to the import preview.
func (s session) upload(rg *rig, table, name, csv string) response {
	rg.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", s.csrf)
	_ = mw.WriteField("table", table)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(csv))
	_ = mw.Close()
	return rg.send(s.c, http.MethodPost, "/console/kb/import", mw.FormDataContentType(), &body)
}

var saveAction = regexp.MustCompile(`action="(/console/kb/import/[0-9a-f]+/save)"`)

// TestImportPreviewAndSave: a file with good and bad rows shows each bad
// cell by row, column and reason and the good rows' diff field by field;
// saving puts the good rows in the draft and nothing else; a preview
// older than the draft's last change is refused with a clear message.
func TestImportPreviewAndSave(t *testing.T) {
	rg := newRig(t)
	s := rg.login("editor")
	export := s.get(rg, "/console/kb/export/latest/procedures.csv")
	if export.status != http.StatusOK || !strings.HasPrefix(export.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %s", export.status, export.header)
	}
	lines := strings.Split(strings.TrimSpace(export.body), "\n")
	header := lines[0]
	csv := header + "\n" +
		strings.Replace(lines[1], "Miễn lệ phí", "12.000 đồng", 1) + "\n" + // khai-sinh: fee changed
		"ket-hon,Đăng ký kết hôn,,Hộ tịch,UBND cấp xã,xa,,yes,yes,,Miễn lệ phí,,,,high,hai đứa muốn cưới\n" + // new
		"xin-phep,Thủ tục lỗi,,,UBND cấp xã,tinh,,maybe,yes,,,,,,high,\n" // bad: office_levels and file_anywhere
	if !strings.HasPrefix(header, "id,name,aliases,field,authority,office_levels,jurisdiction_basis,file_anywhere,online,processing_time,fee,documents,legal_basis,source_url,confidence") {
		t.Fatalf("export header %q", header)
	}
	r := s.upload(rg, "procedures", "thu-tuc.csv", csv)
	if r.status != http.StatusOK {
		t.Fatalf("preview: %d %s", r.status, clip(r.body))
	}
	body := html.UnescapeString(r.body)
	for _, want := range []string{
		`<td class="n" data-label="Dòng">4</td><td data-label="Cột">office_levels</td>`,
		`<td class="n" data-label="Dòng">4</td><td data-label="Cột">file_anywhere</td>`,
		"Thêm</span> <strong>Đăng ký kết hôn</strong>",
		`<span class="before">Miễn lệ phí</span><span class="arrow" aria-label="thành">→</span><span class="after">12.000 đồng</span>`,
		"Xoá</span> <strong>Chứng thực bản sao</strong>", // a row missing from the file
	} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	m := saveAction.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no save form:\n%s", body)
	}

	// The draft changes after the preview: saving it is refused.
	s.post(rg, "/console/kb/synonyms", url.Values{"phrase": {"gks"}, "means": {"giấy khai sinh"}})
	r = s.post(rg, m[1], url.Values{"revision": {revisionOf(body)}})
	if r.status != http.StatusConflict || !strings.Contains(html.UnescapeString(r.body), "Bản nháp đã thay đổi từ lúc bạn xem trước tệp này") {
		t.Fatalf("stale preview: %d %s", r.status, clip(r.body))
	}

	// Uploaded again and saved: the good rows are in the draft.
	body = html.UnescapeString(s.upload(rg, "procedures", "thu-tuc.csv", csv).body)
	m = saveAction.FindStringSubmatch(body)
	r = s.post(rg, m[1], url.Values{"revision": {revisionOf(body)}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, clip(r.body))
	}
	kb, _, err := rg.store.DraftKB(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range kb.Procedures {
		got[p.ID] = p.Fee
	}
	if got["khai-sinh"] != "12.000 đồng" || got["ket-hon"] != "Miễn lệ phí" || len(got) != 2 {
		t.Errorf("draft procedures after the import: %v", got)
	}
	if syn := kb.SynonymMap(); syn["gks"] == "" || syn["hk"] != "hộ khẩu" {
		t.Errorf("the import touched the synonyms: %v", syn)
	}
	if r := s.post(rg, m[1], url.Values{"revision": {revisionOf(body)}}); r.status != http.StatusGone {
		t.Errorf("saving the same preview twice: %d", r.status)
	}
}

var revisionInput = regexp.MustCompile(`name="revision" value="(\d+)"`)

func revisionOf(body string) string {
	if m := revisionInput.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// TestImportTooLarge: a CSV file over the 8 MB limit is refused on the
// import page with the Vietnamese message, whether the CSRF token comes
// in the form (a browser) or in the header (a script), before it is read:
// no draft is opened, no preview kept. A user who may not edit the KB
// gets no editor page for it. A small file is still read.
func TestImportTooLarge(t *testing.T) {
	rg := newRig(t)
	s := rg.login("editor")
	export := s.get(rg, "/console/kb/export/latest/procedures.csv")
	lines := strings.Split(strings.TrimSpace(export.body), "\n")
	csvOf := func(size int) string { // good rows, size bytes
		var b strings.Builder
		b.WriteString(lines[0] + "\n")
		for i := 0; b.Len() < size; i++ {
			b.WriteString(strings.Replace(lines[1], "khai-sinh", "khai-sinh-"+strconv.Itoa(i), 1) + "\n")
		}
		return b.String()[:size]
	}
	upload := func(s session, csv string, csrfInForm bool) stafftest.Response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		var header map[string]string
		if csrfInForm {
			_ = mw.WriteField("csrf", s.csrf)
		} else {
			header = map[string]string{"X-CSRF-Token": s.csrf}
		}
		_ = mw.WriteField("table", "procedures")
		fw, _ := mw.CreateFormFile("file", "lon.csv")
		_, _ = fw.Write([]byte(csv))
		_ = mw.Close()
		return stafftest.Send(t, s.c, http.MethodPost, rg.srv.URL+"/console/kb/import", mw.FormDataContentType(), &body, header)
	}
	nine, justOver := csvOf(9<<20), csvOf(editor.MaxUploadBytes+1)
	for _, tc := range []struct {
		name       string
		csv        string
		csrfInForm bool
	}{
		{"9 MB, csrf in the form", nine, true},
		{"9 MB, csrf in the header", nine, false},
		{"8 MB + 1 byte, csrf in the form", justOver, true},
		{"8 MB + 1 byte, csrf in the header", justOver, false},
	} {
		r := upload(s, tc.csv, tc.csrfInForm)
		page := html.UnescapeString(r.Body)
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "Tệp quá lớn (tối đa 8 MB).") ||
			!strings.Contains(page, "<title>Nhập, xuất CSV") {
			t.Errorf("%s: %d\n%s", tc.name, r.Status, clip(page))
		}
		if saveAction.MatchString(page) {
			t.Errorf("%s: the refused file got a preview", tc.name)
		}
	}
	if _, _, err := rg.store.DraftKB(t.Context()); !errors.Is(err, editor.ErrNoDraft) {
		t.Errorf("a refused upload opened a draft: %v", err)
	}
	if r := upload(rg.login("lan"), nine, true); r.Status != http.StatusForbidden || strings.Contains(r.Body, "Nhập, xuất CSV") {
		t.Errorf("staff member's 9 MB post: %d\n%s", r.Status, clip(r.Body))
	}

	small := lines[0] + "\n" + strings.Replace(lines[1], "Miễn lệ phí", "12.000 đồng", 1) + "\n"
	if r := s.upload(rg, "procedures", "nho.csv", small); r.status != http.StatusOK || !saveAction.MatchString(r.body) {
		t.Errorf("small upload: %d %s", r.status, clip(r.body))
	}
}
