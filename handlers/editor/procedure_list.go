package editor

import (
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// procedureListData is what procedures.html shows.
type procedureListData struct {
	Query string
	Total int
	Items []knowledge.Procedure
}

// procedureList handles GET /procedures: the draft's procedures (or the
// published ones when there is no draft), ?q= searching names, ids,
// aliases and fields.
func (e *Editor) procedureList(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := procedureListData{Query: q, Total: len(kb.Procedures)}
	for _, p := range kb.Procedures {
		if matches(q, p.ID, p.Name, p.Field, strings.Join(p.Aliases, " ")) {
			d.Items = append(d.Items, p)
		}
	}
	e.render(w, r, http.StatusOK, "procedures.html", e.newPage(r, "Thủ tục", "procedures", d))
}

// procedureNew handles GET /procedures/new: an empty form.
func (e *Editor) procedureNew(w http.ResponseWriter, r *http.Request) {
	f := procedureForm{MainLevel: knowledge.LevelCommune, FileAnywhere: "unknown", Online: "unknown", Confidence: "medium"}
	e.renderProcedureForm(w, r, http.StatusOK, procedureFormData{New: true, Form: f}, "")
}

// procedureEdit handles GET /procedures/{id}: the form with every column.
func (e *Editor) procedureEdit(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	p, ok := findProcedure(kb, urlParam(r, "id"))
	if !ok {
		e.fail(w, r, ErrNotFound)
		return
	}
	e.renderProcedureForm(w, r, http.StatusOK, procedureFormData{Form: procedureFormFrom(p)}, "")
}

func findProcedure(kb *knowledge.KB, id string) (knowledge.Procedure, bool) {
	id = strings.TrimSpace(id)
	for _, p := range kb.Procedures {
		if p.ID == id {
			return p, true
		}
	}
	// Typed in the picker: a procedure's exact name is as good as its id.
	for _, p := range kb.Procedures {
		if strings.EqualFold(p.Name, id) {
			return p, true
		}
	}
	return knowledge.Procedure{}, false
}
