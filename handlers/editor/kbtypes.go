package editor

// The types of the knowledge packages the pages use, named once here.

import (
	"io"

	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// The editable tables, as knowledge names them.
const (
	TableProcedures    = knowledge.TableProcedures
	TableOffices       = knowledge.TableOffices
	TableServicePoints = knowledge.TableServicePoints
	TableCurated       = knowledge.TableCurated
	TableSynonyms      = knowledge.TableSynonyms
)

// EditableTables are the tables an editor may import and export.
var EditableTables = knowledge.EditableTables

// Errors of the knowledge packages the pages branch on.
var (
	ErrInvalid  = knowledge.ErrInvalid
	ErrNoDraft  = kbstore.ErrNoDraft
	ErrBusy     = kbstore.ErrBusy
	ErrNotFound = kbstore.ErrNotFound
	ErrConflict = kbstore.ErrConflict
)

type (
	// Draft is the one shared draft.
	Draft = kbstore.Draft
	// AuditEntry is one recorded change.
	AuditEntry = kbstore.AuditEntry
	// AuditQuery filters the audit log.
	AuditQuery = kbstore.AuditQuery
	// FieldChange is one changed cell.
	FieldChange = knowledge.FieldChange
	// RowChange is one added, changed or removed row.
	RowChange = knowledge.RowChange
	// Diff is what an import changes.
	Diff = knowledge.Diff
	// Import is a parsed CSV file ready to apply to the draft.
	Import = knowledge.Import
	// UnansweredGroup is a group of similar questions the bot could not answer.
	UnansweredGroup = store.UnansweredGroup
)

func exportCSV(w io.Writer, kb *knowledge.KB, table string) error {
	return knowledge.ExportCSV(w, kb, table)
}

func importCSV(r io.Reader, file, table string, draft *knowledge.KB) (Import, error) {
	return knowledge.ImportCSV(r, file, table, draft)
}
