package editor

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// maxPreviewTurns bounds one preview conversation.
const maxPreviewTurns = 8

// previewTurn is one question with the draft's and the published answer.
type previewTurn struct {
	Question         string
	Draft, Published bot.Answer
}

// Differs reports whether the draft answers differently.
func (t previewTurn) Differs() bool { return t.Draft.Text != t.Published.Text }

// previewData is what preview.html shows.
type previewData struct {
	Questions    string
	Turns        []previewTurn
	DraftLabel   string
	PublishLabel string
	NoDraft      bool
}

// previewPane handles GET /preview?q=: the typed questions (one per line,
// as one conversation) answered from the draft and from the published
// knowledge base, side by side.
func (e *Editor) previewPane(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := previewData{Questions: q}
	turns := splitLines(q)
	if len(turns) > maxPreviewTurns {
		turns = turns[:maxPreviewTurns]
	}
	if len(turns) > 0 {
		if err := e.answerBoth(r, turns, &d); err != nil {
			e.fail(w, r, err)
			return
		}
	}
	e.render(w, r, http.StatusOK, "preview.html", e.newPage(r, "Xem thử", "preview", d))
}

func (e *Editor) answerBoth(r *http.Request, turns []string, d *previewData) error {
	ctx := r.Context()
	published, err := e.store.Latest(ctx)
	if err != nil {
		return err
	}
	draft, info, err := e.store.DraftKB(ctx)
	switch {
	case errors.Is(err, ErrNoDraft):
		draft, d.NoDraft = published, true
	case err != nil:
		return err
	}
	d.PublishLabel = versionName(published)
	d.DraftLabel = "Bản nháp"
	if !d.NoDraft {
		d.DraftLabel = "Bản nháp (lần sửa " + itoa(info.Revision) + ")"
	}
	fromDraft, err := e.preview(ctx, draft, turns)
	if err != nil {
		return err
	}
	fromPublished, err := e.preview(ctx, published, turns)
	if err != nil {
		return err
	}
	for i, q := range turns {
		t := previewTurn{Question: q}
		if i < len(fromDraft) {
			t.Draft = fromDraft[i]
		}
		if i < len(fromPublished) {
			t.Published = fromPublished[i]
		}
		d.Turns = append(d.Turns, t)
	}
	return nil
}

func versionName(kb *knowledge.KB) string {
	return "Phiên bản " + itoa(kb.Version) + " đang dùng"
}
