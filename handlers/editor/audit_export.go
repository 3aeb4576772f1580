package editor

import (
	"encoding/csv"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
	"github.com/hoiphuong/hoiphuong/knowledge/csvcell"
	"net/http"
	"strconv"
	"time"
)

// auditExportMax bounds one CSV export of the audit log.
const auditExportMax = 100000

// auditExport handles GET /audit.csv: the entries the filter finds, as CSV
// (UTF-8 with a byte-order mark, so spreadsheets show the diacritics).
func (e *Editor) auditExport(w http.ResponseWriter, r *http.Request) {
	f, invalid := parseAuditFilter(r)
	if invalid != "" {
		e.message(w, r, http.StatusUnprocessableEntity, invalid)
		return
	}
	entries, err := e.store.Audit(r.Context(), f.Query(auditExportMax, 0))
	if err != nil {
		e.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="hoiphuong-audit.csv"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "actor", "action", "entity", "entity_id", "summary", "before", "after"})
	for _, a := range entries {
		_ = cw.Write(csvcell.EscapeRow([]string{strconv.FormatInt(a.ID, 10), a.At.In(staffpage.Zone).Format(time.RFC3339), a.Actor, a.Action,
			a.Entity, a.EntityID, a.Summary, a.Before, a.After}))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		e.logger.WarnContext(r.Context(), "write audit csv", "err", err)
	}
}
