package editor

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// export handles GET /export/{version}/{table}.csv: one editable table of
// a version (a number, "latest" or "draft") as CSV with the import's
// columns.
func (e *Editor) export(w http.ResponseWriter, r *http.Request) {
	table, version := chi.URLParam(r, "table"), chi.URLParam(r, "version")
	if !slices.Contains(EditableTables, table) {
		e.fail(w, r, ErrNotFound)
		return
	}
	kb, label, err := e.exportKB(r, version)
	if err != nil {
		if errorsIsNoDraft(err) {
			err = ErrNotFound
		}
		e.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := exportCSV(&buf, kb, table); err != nil {
		e.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="hoiphuong-%s-%s.csv"`, label, table))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// exportKB loads the version asked for and names it for the file name.
func (e *Editor) exportKB(r *http.Request, version string) (*knowledge.KB, string, error) {
	ctx := r.Context()
	switch version {
	case "draft":
		kb, _, err := e.store.DraftKB(ctx)
		return kb, "draft", err
	case "latest":
		kb, err := e.store.Latest(ctx)
		if err != nil {
			return nil, "", err
		}
		return kb, "v" + strconv.Itoa(kb.Version), nil
	}
	n, err := strconv.Atoi(version)
	if err != nil || n <= 0 {
		return nil, "", ErrNotFound
	}
	kb, err := e.store.Load(ctx, n)
	return kb, "v" + version, err
}
