package editor

import (
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// viewSamples is the data each view is rendered with once at start, so
// a broken template fails New rather than a request.
func viewSamples() map[string]any {
	at := time.Date(2025, 7, 1, 2, 0, 0, 0, time.UTC)
	v := kbstore.VersionInfo{Version: 2, AsOf: at, CreatedAt: at, Author: "check", Changelog: "check", Status: kbstore.StatusPublished}
	p := knowledge.Procedure{ID: "check", Name: "check", Aliases: []string{"a"}, OfficeLevels: []string{"xa"}, Confidence: "low"}
	u := knowledge.Unit{Code: "26740", Name: "check", ProvinceCode: knowledge.HCMCProvinceCode}
	c := knowledge.CuratedAnswer{ID: "check", Questions: []string{"a", "b"}, Answer: "check"}
	imp := Import{Table: TableProcedures, File: "check.csv", Rows: 1,
		Errors: knowledge.RowErrors{{Row: 2, Column: "fee", Reason: "check"}},
		Diff: Diff{Added: []RowChange{{Key: "a", Label: "a", Fields: []FieldChange{{Field: "fee", After: "1"}}}},
			Changed: []RowChange{{Key: "b", Label: "b", Fields: []FieldChange{{Field: "fee", Before: "1", After: "2"}}}},
			Removed: []RowChange{{Key: "c", Label: "c"}}}}
	a := bot.Answer{Text: "check", Procedure: &bot.ProcedureRef{Name: "check"}, Citations: []bot.Citation{{Title: "check", AsOf: "2025-07-01"}}}
	return map[string]any{
		"message.html": nil,
		"overview.html": overviewData{Published: &v, Draft: &Draft{Revision: 1}, Versions: []kbstore.VersionInfo{v},
			Changes: []tableChanges{{Table: TableProcedures, Added: 1}}, Changed: 1, Tables: EditableTables, Form: publishForm{AsOf: "2025-07-01", Today: "2025-07-02"}, FormErrors: publishErrors{Changelog: "x", AsOf: "y"}},
		"procedures.html":        procedureListData{Items: []knowledge.Procedure{p}},
		"procedure_form.html":    procedureFormData{Form: procedureFormFrom(p), Errors: fieldErrors{"id": "x"}, Levels: levels},
		"offices.html":           officeListData{Items: []knowledge.Unit{u}},
		"office_form.html":       officeFormData{Unit: u, Errors: fieldErrors{"phone": "x"}},
		"servicepoints.html":     servicePointListData{Items: []knowledge.ServicePoint{{ID: "a", Name: "a"}}},
		"servicepoint_form.html": servicePointFormData{New: true, Errors: fieldErrors{"id": "x"}},
		"curated.html":           curatedListData{Items: []knowledge.CuratedAnswer{c}},
		"curated_form.html":      curatedFormData{Form: curatedFormFrom(c), Procedures: []knowledge.Procedure{p}, Units: []knowledge.Unit{u}},
		"synonyms.html":          synonymData{Items: []knowledge.Synonym{{Phrase: "hk", Means: "hộ khẩu"}}, Edit: true},
		"import.html":            importFormData{Tables: EditableTables, HasDraft: true},
		"import_preview.html":    importPreviewData{ID: "x", Import: imp, Revision: 1},
		"preview.html":           previewData{Questions: "a", Turns: []previewTurn{{Question: "a", Draft: a, Published: a}}},
		"unanswered.html": unansweredData{Groups: []unansweredGroupView{{UnansweredGroup: UnansweredGroup{Key: "k", Count: 2, Examples: []string{"a"}},
			ReasonList: []reasonCount{{"fallback", 2}}}}, Procedures: []knowledge.Procedure{p}},
		"audit.html": auditData{Filter: auditFilter{Page: 2}, Entries: []AuditEntry{{Actor: "a", Before: "b", After: "c"}}, HasNext: true},
	}
}
