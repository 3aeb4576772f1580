package editor

import (
	"errors"
	"net/http"
	"path"
	"slices"
)

// MaxUploadBytes is the largest CSV file the import accepts.
const MaxUploadBytes = 8 << 20

const (
	msgNoFile   = "Hãy chọn một tệp CSV để tải lên."
	msgBadTable = "Hãy chọn bảng cần nhập."
	msgBadCSV   = "Không đọc được tệp: cần tệp CSV (UTF-8) có dòng tiêu đề với đúng các cột như tệp xuất ra."
	msgTooLarge = "Tệp quá lớn (tối đa 8 MB)."
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
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes+64<<10)
	table := r.PostFormValue("table")
	if !slices.Contains(EditableTables, table) {
		e.renderImportForm(w, r, http.StatusUnprocessableEntity, "", msgBadTable)
		return
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		msg := msgNoFile
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			msg = msgTooLarge
		}
		e.renderImportForm(w, r, http.StatusUnprocessableEntity, table, msg)
		return
	}
	defer file.Close()
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
