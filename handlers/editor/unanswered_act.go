package editor

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// unansweredAlias handles POST /unanswered/alias (key, procedure,
// question, as): the question becomes an example question (as=example, the
// default: the matter reader learns from it) or an alias (as=alias) of the
// procedure in the draft, and the group is marked done.
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
	asAlias := r.PostFormValue("as") == "alias"
	list := &p.Examples
	if asAlias {
		list = &p.Aliases
	}
	if !slices.ContainsFunc(*list, func(a string) bool { return strings.EqualFold(a, question) }) {
		*list = append(slices.Clone(*list), question)
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
	action, note, flash := "example:"+p.ID, "Thêm “"+question+"” làm câu hỏi mẫu của "+p.Name, "example"
	if asAlias {
		action, note, flash = "alias:"+p.ID, "Thêm “"+question+"” làm cách gọi khác của "+p.Name, "alias"
	}
	if err := e.resolveGroup(r, key, action, note); err != nil {
		e.fail(w, r, err)
		return
	}
	staffpage.Redirect(w, r, basePath+"/unanswered", flash)
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
