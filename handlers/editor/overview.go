package editor

import (
	"errors"
	"net/http"

	"github.com/hoiphuong/hoiphuong/knowledge"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// overviewData is what overview.html shows.
type overviewData struct {
	Published  *kbstore.VersionInfo
	Draft      *Draft
	Changes    []tableChanges
	Changed    int // rows the draft changes, all tables
	Versions   []kbstore.VersionInfo
	Tables     []string
	Unanswered int
	Busy       bool
	Form       publishForm
	FormErrors publishErrors
}

// overview handles GET /: the published version, the draft and its
// changes, the publish form, the version history and the unanswered count.
// The form's as-of date starts at the published version's: the editor
// confirms it, or moves it to the day they checked the facts again.
func (e *Editor) overview(w http.ResponseWriter, r *http.Request) {
	d, err := e.overviewData(r, publishForm{Today: e.today()})
	if err != nil {
		e.fail(w, r, err)
		return
	}
	if d.Published != nil {
		d.Form.AsOf = d.Published.AsOf.Format(dateLayout)
	}
	e.render(w, r, http.StatusOK, "overview.html", e.newPage(r, "Tổng quan", "overview", d))
}

func (e *Editor) overviewData(r *http.Request, form publishForm) (overviewData, error) {
	ctx := r.Context()
	d := overviewData{Tables: EditableTables, Busy: e.publisher.Busy(), Form: form}
	versions, err := e.store.Versions(ctx)
	if err != nil {
		return d, err
	}
	for _, v := range versions {
		if v.Status == kbstore.StatusDraft {
			continue
		}
		if d.Published == nil && v.Status == kbstore.StatusPublished {
			v := v
			d.Published = &v
		}
		d.Versions = append(d.Versions, v)
	}
	draftKB, draft, err := e.store.DraftKB(ctx)
	switch {
	case errors.Is(err, ErrNoDraft):
	case err != nil:
		return d, err
	default:
		d.Draft = &draft
		var published *knowledge.KB
		if d.Published != nil {
			if published, err = e.store.Latest(ctx); err != nil {
				return d, err
			}
		}
		d.Changes = summarize(draftKB, published)
		for _, c := range d.Changes {
			d.Changed += c.Total()
		}
	}
	groups, err := e.unanswered.Unanswered(ctx, e.now().Add(-unansweredWindow), unansweredLimit)
	if err != nil {
		return d, err
	}
	d.Unanswered = len(groups)
	return d, nil
}
