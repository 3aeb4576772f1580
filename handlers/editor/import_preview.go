package editor

import (
	"errors"
	"net/http"
	"path"
	"slices"
	"strings"
)

// MaxUploadBytes is the largest CSV file the import accepts.
const MaxUploadBytes = 8 << 20

// formOverhead is what a multipart upload form may add to its file (the
// other fields, the part headers and boundaries).
const formOverhead = 64 << 10

const (
	msgNoFile   = "Hãy chọn một tệp CSV để tải lên."
	msgBadTable = "Hãy chọn bảng cần nhập."
	msgBadCSV   = "Không đọc được tệp: cần tệp CSV (UTF-8) có dòng tiêu đề với đúng các cột như tệp xuất ra."
	msgTooLarge = "Tệp quá lớn (tối đa 8 MB)."

	msgBodyTooLarge = "Dữ liệu gửi lên quá lớn."
)

// importFormData is what import.html shows.
type importFormData struct {
	Tables   []string
	Table    string
	HasDraft bool
}

// importForm handles GET /import: an upload form per table and the
// draft's export links.
func (e *Editor) importForm(w http.ResponseWriter, r *http.Request) {
	e.renderImportForm(w, r, http.StatusOK, r.URL.Query().Get("table"), "")
}

func (e *Editor) renderImportForm(w http.ResponseWriter, r *http.Request, status int, table, flash string) {
	_, _, err := e.store.DraftKB(r.Context())
	if err != nil && !errors.Is(err, ErrNoDraft) {
		e.fail(w, r, err)
		return
	}
	d := importFormData{Tables: EditableTables, Table: table, HasDraft: err == nil}
	p := e.newPage(r, "Nhập, xuất CSV", "import", d)
	if flash != "" {
		p.Flash, p.Error = flash, true
	}
	e.render(w, r, status, "import.html", p)
}

// maxFormMemory is how much of an upload form is kept in memory (the
// rest goes to temporary files): net/http's default.
const maxFormMemory = 32 << 20

// tooLarge answers a request whose body is over the limit of Routes: the
// import page with the limit for an upload, a page of its own otherwise.
// Nothing of the request was read (its CSRF token is unchecked): it only
// shows a page.
func (e *Editor) tooLarge(w http.ResponseWriter, r *http.Request) {
	if strings.TrimSuffix(r.URL.Path, "/") == basePath+"/import" {
		e.renderImportForm(w, r, http.StatusRequestEntityTooLarge, "", msgTooLarge)
		return
	}
	e.message(w, r, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
}

// limitBody bounds every request body at limit: reading past it fails
// (*http.MaxBytesError).
func limitBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
		})
	}
}

// importPreviewData is what import_preview.html shows.
type importPreviewData struct {
	ID       string
	Import   Import
	Revision int
}

// importPreview handles POST /import (multipart: table, file): the file
// is read against the draft (created if needed) and its row errors and
// diff shown; nothing changes until "Lưu vào bản nháp".
func (e *Editor) importPreview(w http.ResponseWriter, r *http.Request) {
	// The body is limited by Routes (limitBody) before anything reads it.
	if err := r.ParseMultipartForm(maxFormMemory); errors.As(err, new(*http.MaxBytesError)) {
		e.tooLarge(w, r)
		return
	}
	table := r.PostFormValue("table")
	if !slices.Contains(EditableTables, table) {
		e.renderImportForm(w, r, http.StatusUnprocessableEntity, "", msgBadTable)
		return
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		e.renderImportForm(w, r, http.StatusUnprocessableEntity, table, msgNoFile)
		return
	}
	defer file.Close()
	if header.Size > MaxUploadBytes {
		e.logger.InfoContext(r.Context(), "csv import refused: file too large", "table", table, "bytes", header.Size)
		e.renderImportForm(w, r, http.StatusRequestEntityTooLarge, table, msgTooLarge)
		return
	}
	ctx, who := r.Context(), actor(r)
	if _, err := e.store.Draft(ctx, who); err != nil {
		e.fail(w, r, err)
		return
	}
	kb, draft, err := e.store.DraftKB(ctx)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	imp, err := importCSV(file, path.Base(header.Filename), table, kb)
	if err != nil {
		e.logger.InfoContext(ctx, "csv import refused", "table", table, "err", err)
		e.renderImportForm(w, r, http.StatusUnprocessableEntity, table, msgBadCSV+" ("+err.Error()+")")
		return
	}
	id := e.imports.put(pendingImport{imp: imp, revision: draft.Revision, owner: who})
	d := importPreviewData{ID: id, Import: imp, Revision: draft.Revision}
	e.render(w, r, http.StatusOK, "import_preview.html", e.newPage(r, "Xem trước: "+tableName(table), "import", d))
}
