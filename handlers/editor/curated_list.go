package editor

import (
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// curatedListData is what curated.html shows.
type curatedListData struct {
	Query string
	Total int
	Items []knowledge.CuratedAnswer
}

// curatedList handles GET /curated.
func (e *Editor) curatedList(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := curatedListData{Query: q, Total: len(kb.Curated)}
	for _, c := range kb.Curated {
		if matches(q, c.ID, c.Answer, strings.Join(c.Questions, " ")) {
			d.Items = append(d.Items, c)
		}
	}
	e.render(w, r, http.StatusOK, "curated.html", e.newPage(r, "Câu trả lời đã duyệt", "curated", d))
}

// curatedNew handles GET /curated/new; ?group= prefills it from a group
// of unanswered questions (its examples become the phrasings).
func (e *Editor) curatedNew(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	f := curatedForm{}
	if key := r.URL.Query().Get("group"); key != "" {
		g, err := e.findGroup(r, key)
		if err != nil {
			e.fail(w, r, err)
			return
		}
		f.Group = g.Key
		f.ID = slugFrom(g.Key)
		f.Questions = strings.Join(append([]string{g.Key}, g.Examples...), "\n")
		f.Questions = strings.Join(uniqueLines(f.Questions), "\n")
	}
	e.renderCuratedForm(w, r, http.StatusOK, kb, curatedFormData{New: true, Form: f}, "")
}

// curatedEdit handles GET /curated/{id}.
func (e *Editor) curatedEdit(w http.ResponseWriter, r *http.Request) {
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	c, ok := findCurated(kb, urlParam(r, "id"))
	if !ok {
		e.fail(w, r, ErrNotFound)
		return
	}
	e.renderCuratedForm(w, r, http.StatusOK, kb, curatedFormData{Form: curatedFormFrom(c)}, "")
}

// uniqueLines is s's lines without repeats (folded), in order.
func uniqueLines(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range splitLines(s) {
		k := strings.ToLower(l)
		if !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}
