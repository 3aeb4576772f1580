package editor

import (
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// The unanswered page shows the groups of the last unansweredWindow, at
// most unansweredLimit of them.
const (
	unansweredWindow = 30 * 24 * time.Hour
	unansweredLimit  = 200
)

// reasonCount is one reason of a group with its count.
type reasonCount struct {
	Reason string
	Count  int
}

// unansweredGroupView is a group as the page shows it.
type unansweredGroupView struct {
	UnansweredGroup
	ReasonList []reasonCount
	Question   string // what becomes the alias: the first example
}

// unansweredData is what unanswered.html shows.
type unansweredData struct {
	Groups     []unansweredGroupView
	Procedures []knowledge.Procedure
}

// unansweredList handles GET /unanswered: the groups of questions the bot
// could not answer, biggest first, with their actions.
func (e *Editor) unansweredList(w http.ResponseWriter, r *http.Request) {
	groups, err := e.unanswered.Unanswered(r.Context(), e.now().Add(-unansweredWindow), unansweredLimit)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	kb, err := e.workingKB(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	d := unansweredData{Procedures: slices.Clone(kb.Procedures)}
	sort.Slice(d.Procedures, func(i, j int) bool { return d.Procedures[i].Name < d.Procedures[j].Name })
	for _, g := range groups {
		v := unansweredGroupView{UnansweredGroup: g, Question: g.Key}
		if len(g.Examples) > 0 {
			v.Question = g.Examples[0]
		}
		for reason, n := range g.Reasons {
			v.ReasonList = append(v.ReasonList, reasonCount{reason, n})
		}
		sort.Slice(v.ReasonList, func(i, j int) bool { return v.ReasonList[i].Count > v.ReasonList[j].Count })
		d.Groups = append(d.Groups, v)
	}
	e.render(w, r, http.StatusOK, "unanswered.html", e.newPage(r, "Câu hỏi chưa trả lời được", "unanswered", d))
}

// findGroup finds the open group key.
func (e *Editor) findGroup(r *http.Request, key string) (UnansweredGroup, error) {
	groups, err := e.unanswered.Unanswered(r.Context(), e.now().Add(-unansweredWindow), unansweredLimit)
	if err != nil {
		return UnansweredGroup{}, err
	}
	for _, g := range groups {
		if g.Key == key {
			return g, nil
		}
	}
	return UnansweredGroup{}, ErrNotFound
}

// resolveGroup marks the group done and records it in the audit log.
func (e *Editor) resolveGroup(r *http.Request, key, resolution, summary string) error {
	ctx, who := r.Context(), actor(r)
	if err := e.unanswered.MarkUnansweredDone(ctx, key, who, resolution); err != nil {
		return err
	}
	return e.store.Record(ctx, AuditEntry{At: e.now(), Actor: who, Action: "unanswered_done",
		Entity: "unanswered", EntityID: key, Summary: summary, After: resolution})
}
