package editor

// Placeholders for the types and functions that knowledge (CSV import and
// export), knowledge/store (draft, audit) and bot/store (unanswered
// questions) are adding on their own branches. When those land this file
// becomes type aliases to the real ones.

import (
	"errors"
	"io"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// The editable tables, as knowledge names them.
const (
	TableProcedures    = "procedures"
	TableOffices       = "offices"
	TableServicePoints = "service_points"
	TableCurated       = "curated_answers"
	TableSynonyms      = "synonyms"
)

// EditableTables are the tables an editor may import and export.
var EditableTables = []string{TableProcedures, TableOffices, TableServicePoints, TableCurated, TableSynonyms}

// Errors of the knowledge packages the pages branch on.
var (
	ErrInvalid  = errors.New("knowledge: invalid")
	ErrNoDraft  = errors.New("store: no draft")
	ErrBusy     = errors.New("store: busy")
	ErrNotFound = errors.New("store: not found")
	ErrConflict = errors.New("store: conflict")
)

// Draft is the one shared draft.
type Draft struct {
	Version, Base, Revision int
	CreatedAt, UpdatedAt    time.Time
	UpdatedBy               string
}

// AuditEntry is one recorded change.
type AuditEntry struct {
	ID                                                      int64
	At                                                      time.Time
	Actor, Action, Entity, EntityID, Summary, Before, After string
}

// AuditQuery filters the audit log.
type AuditQuery struct {
	Text, Actor, Action string
	From, To            time.Time
	Limit, Offset       int
}

// FieldChange is one changed cell.
type FieldChange struct{ Field, Before, After string }

// RowChange is one added, changed or removed row.
type RowChange struct {
	Key, Label string
	Fields     []FieldChange
}

// Diff is what an import changes.
type Diff struct{ Added, Changed, Removed []RowChange }

// Empty reports whether the diff changes nothing.
func (d Diff) Empty() bool { return len(d.Added)+len(d.Changed)+len(d.Removed) == 0 }

// Import is a parsed CSV file ready to apply to the draft.
type Import struct {
	Table, File string
	Rows        int
	Errors      knowledge.RowErrors
	Diff        Diff
}

// UnansweredGroup is a group of similar questions the bot could not answer.
type UnansweredGroup struct {
	Key      string
	Count    int
	Examples []string
	Reasons  map[string]int
	LastAt   time.Time
}

var errNotMerged = errors.New("editor: knowledge CSV import/export not merged yet")

func exportCSV(io.Writer, *knowledge.KB, string) error { return errNotMerged }

func importCSV(io.Reader, string, string, *knowledge.KB) (Import, error) {
	return Import{}, errNotMerged
}
