package editor

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// unansweredAlias handles POST /unanswered/alias (key, procedure,
// question): the question becomes an alias of the procedure in the draft
// and the group is marked done.
func (e *Editor) unansweredAlias(w http.ResponseWriter, r *http.Request) {
	key := r.PostFormValue("key")
	question := strings.TrimSpace(r.PostFormValue("question"))
	if key == "" || question == "" {
		e.message(w, r, http.StatusUnprocessableEntity, msgBadForm)
		return
	}
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	p, ok := findProcedure(kb, r.PostFormValue("procedure"))
	if !ok {
		e.message(w, r, http.StatusUnprocessableEntity, "Hãy chọn thủ tục để thêm cách gọi khác.")
		return
	}
	if !slices.ContainsFunc(p.Aliases, func(a string) bool { return strings.EqualFold(a, question) }) {
		p.Aliases = append(slices.Clone(p.Aliases), question)
		err := e.store.SaveProcedure(r.Context(), actor(r), p)
		if errors.Is(err, ErrInvalid) {
			e.message(w, r, http.StatusUnprocessableEntity, invalidReason(err))
			return
		}
		if err != nil {
			e.fail(w, r, err)
			return
		}
	}
	if err := e.resolveGroup(r, key, "alias:"+p.ID, "Thêm “"+question+"” làm cách gọi khác của "+p.Name); err != nil {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath+"/unanswered", "alias")
}

// unansweredDone handles POST /unanswered/done (key): the group is marked
// done without a change to the knowledge base.
func (e *Editor) unansweredDone(w http.ResponseWriter, r *http.Request) {
	key := r.PostFormValue("key")
	if key == "" {
		e.message(w, r, http.StatusUnprocessableEntity, msgBadForm)
		return
	}
	if err := e.resolveGroup(r, key, "done", "Đánh dấu đã xử lý"); err != nil {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath+"/unanswered", "done")
}
