package editor

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// synonymForm is a synonym as typed; Original is the phrase being edited
// ("" for a new one).
type synonymForm struct {
	Phrase, Means, Original string
}

// Validate reports what is missing, by field.
func (f synonymForm) Validate() fieldErrors {
	errs := fieldErrors{}
	if f.Phrase == "" || len([]rune(f.Phrase)) > 100 {
		errs["phrase"] = "Hãy nhập từ hoặc cụm từ (tối đa 100 ký tự)."
	}
	if f.Means == "" || len([]rune(f.Means)) > 200 {
		errs["means"] = "Hãy nhập nghĩa (tối đa 200 ký tự)."
	}
	return errs
}

// synonymData is what synonyms.html shows: the list and the form.
type synonymData struct {
	Query  string
	Total  int
	Items  []knowledge.Synonym
	Form   synonymForm
	Errors fieldErrors
	Edit   bool
}

// synonymList handles GET /synonyms: the list and a form for a new one.
func (e *Editor) synonymList(w http.ResponseWriter, r *http.Request) {
	e.renderSynonyms(w, r, http.StatusOK, synonymData{}, "")
}

// synonymEdit handles GET /synonyms/edit?phrase=: the form filled.
func (e *Editor) synonymEdit(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	phrase := r.URL.Query().Get("phrase")
	for _, s := range kb.Synonyms {
		if s.Phrase == phrase {
			e.renderSynonyms(w, r, http.StatusOK, synonymData{Edit: true, Form: synonymForm{Phrase: s.Phrase, Means: s.Means, Original: s.Phrase}}, "")
			return
		}
	}
	e.fail(w, r, ErrNotFound)
}

// synonymSave handles POST /synonyms: a new synonym, or (original) an
// edited one; a changed phrase replaces the original.
func (e *Editor) synonymSave(w http.ResponseWriter, r *http.Request) {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := synonymForm{Phrase: v("phrase"), Means: v("means"), Original: v("original")}
	d := synonymData{Form: f, Errors: f.Validate(), Edit: f.Original != ""}
	flash := msgBadForm
	if len(d.Errors) == 0 {
		ctx, who := r.Context(), actor(r)
		err := e.store.SaveSynonym(ctx, who, knowledge.Synonym{Phrase: f.Phrase, Means: f.Means})
		if err == nil && f.Original != "" && f.Original != f.Phrase {
			err = e.store.DeleteSynonym(ctx, who, f.Original)
		}
		switch {
		case err == nil:
			staffpage.Redirect(w, r, basePath+"/synonyms", "saved")
			return
		case errors.Is(err, ErrInvalid):
			flash, d.Errors = invalidReason(err), storeProblems(err)
		default:
			e.fail(w, r, err)
			return
		}
	}
	e.renderSynonyms(w, r, http.StatusUnprocessableEntity, d, flash)
}

// synonymDelete handles POST /synonyms/delete (phrase).
func (e *Editor) synonymDelete(w http.ResponseWriter, r *http.Request) {
	if err := e.store.DeleteSynonym(r.Context(), actor(r), r.PostFormValue("phrase")); err != nil {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath+"/synonyms", "deleted")
}

func (e *Editor) renderSynonyms(w http.ResponseWriter, r *http.Request, status int, d synonymData, flash string) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	d.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	d.Total = len(kb.Synonyms)
	for _, s := range kb.Synonyms {
		if matches(d.Query, s.Phrase, s.Means) {
			d.Items = append(d.Items, s)
		}
	}
	p := e.newPage(r, "Từ đồng nghĩa, viết tắt", "synonyms", d)
	if flash != "" {
		p.Flash, p.Error = flash, true
	}
	e.render(w, r, status, "synonyms.html", p)
}
