package store

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
)

// unansweredRig is a store with a settable clock and a helper that plays a
// conversation: each step a citizen text and the kind of the bot's reply.
type unansweredRig struct {
	t   *testing.T
	s   *Store
	now time.Time
	n   int
}

func newUnansweredRig(t *testing.T) *unansweredRig {
	r := &unansweredRig{t: t, s: newStore(t), now: time.Date(2025, 7, 1, 1, 0, 0, 0, time.UTC)}
	r.s.Now = func() time.Time { return r.now }
	return r
}

// talk plays one conversation, a minute per step, and returns its id.
func (r *unansweredRig) talk(steps ...any) string {
	r.t.Helper()
	ctx := r.t.Context()
	r.n++
	id, err := r.s.Create(ctx, "web", fmt.Sprint("u", r.n))
	if err != nil {
		r.t.Fatal(err)
	}
	for i := 0; i < len(steps); i += 2 {
		r.now = r.now.Add(time.Minute)
		text, kind := steps[i].(string), steps[i+1].(bot.Kind)
		in, _, err := r.s.AppendInbound(ctx, id, bot.Message{Text: text, At: r.now}, "")
		if err != nil {
			r.t.Fatal(err)
		}
		if err := r.s.SaveReply(ctx, id, in, bot.Answer{Kind: kind, Text: "…"}, bot.State{Mode: bot.ModeBot}); err != nil {
			r.t.Fatal(err)
		}
	}
	return id
}

func (r *unansweredRig) thumbs(id string, score int) int64 {
	r.t.Helper()
	r.now = r.now.Add(time.Minute)
	m, err := r.s.RecordFeedback(r.t.Context(), id, score)
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

func (r *unansweredRig) unanswered(limit int) map[string]UnansweredGroup {
	r.t.Helper()
	gs, err := r.s.Unanswered(r.t.Context(), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), limit)
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[string]UnansweredGroup{}
	for i, g := range gs {
		if i > 0 && g.Count > gs[i-1].Count {
			r.t.Errorf("not most frequent first: %+v", gs)
		}
		out[g.Key] = g
	}
	return out
}

func TestUnansweredGroupsAndReasons(t *testing.T) {
	r := newUnansweredRig(t)
	ctx := t.Context()
	// Fallbacks, spelt three ways, one of them twice: one group.
	r.talk("Giá vàng hôm nay?", bot.KindFallback)
	r.talk("  gia vang   hom nay ", bot.KindFallback)
	r.talk("GIÁ VÀNG HÔM NAY", bot.KindFallback, "giá vàng hôm nay", bot.KindHandoff)
	r.talk("gia vang hom nay", bot.KindFallback)
	// A clarification answered later is not unanswered; one left hanging
	// (over 30 minutes), one followed by a fallback, are.
	r.talk("phường 1", bot.KindClarify, "quận 4", bot.KindAnswer)
	r.talk("tân định", bot.KindClarify, "Tôi ở Phường Tân Định (mới)", bot.KindClarify, "ok", bot.KindAnswer)
	r.talk("Phường Abc", bot.KindClarify)
	r.talk("xin giấy phép karaoke", bot.KindClarify, "??", bot.KindFallback)
	// Handoffs: a request for a person is no question for editors.
	r.talk("cho tôi gặp cán bộ", bot.KindHandoff)
	// A 👎 counts the question its answer replied to; a 👍 does not; a 👎
	// changed to 👍 no longer counts.
	down := r.talk("đăng ký khai sinh ở đâu", bot.KindAnswer)
	rated := r.thumbs(down, -1)
	up := r.talk("làm căn cước", bot.KindAnswer)
	r.thumbs(up, 1)
	changed := r.talk("kết hôn", bot.KindAnswer)
	r.thumbs(changed, -1)
	r.thumbs(changed, 1)
	// A clarification just asked (under 30 minutes) is still going on.
	r.now = r.now.Add(40 * time.Minute)
	r.talk("phường 5", bot.KindClarify)

	msgs, err := r.s.Messages(ctx, down, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rated != msgs[1].ID || msgs[1].Kind != bot.KindAnswer {
		t.Errorf("rated message %d, want the answer %d", rated, msgs[1].ID)
	}
	fb, err := r.s.FeedbackOf(ctx, changed)
	if err != nil || len(fb) != 1 || fb[0].Score != 1 {
		t.Errorf("feedback of the changed rating = %+v, %v", fb, err)
	}

	got := r.unanswered(0)
	want := map[string]struct {
		count   int
		reasons map[string]int
		ex      int
	}{
		"gia vang hom nay":        {5, map[string]int{ReasonFallback: 4, ReasonHandoff: 1}, 3},
		"phuong abc":              {1, map[string]int{ReasonClarify: 1}, 1},
		"xin giay phep karaoke":   {1, map[string]int{ReasonClarify: 1}, 1},
		"dang ki khai sinh o dau": {1, map[string]int{ReasonThumbsDown: 1}, 1},
	}
	if extra := len(got) - len(want); extra != 0 || got["gia vang hom nay"].Count == 0 {
		t.Errorf("groups = %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	// "??" folds to nothing: it is no group.
	for key, w := range want {
		g, ok := got[key]
		if !ok {
			t.Errorf("group %q missing", key)
			continue
		}
		if g.Count != w.count || !maps.Equal(g.Reasons, w.reasons) || len(g.Examples) != w.ex {
			t.Errorf("group %q = %+v, want count %d reasons %v, %d examples", key, g, w.count, w.reasons, w.ex)
		}
		if g.LastAt.IsZero() {
			t.Errorf("group %q has no LastAt", key)
		}
	}
	if ex := got["gia vang hom nay"].Examples; !slices.Equal(ex, []string{"gia vang hom nay", "giá vàng hôm nay", "GIÁ VÀNG HÔM NAY"}) {
		t.Errorf("examples = %q, want the newest 3 distinct original texts, spaces collapsed", ex)
	}

	gs, err := r.s.Unanswered(ctx, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), 2)
	if err != nil || len(gs) != 2 || gs[0].Key != "gia vang hom nay" {
		t.Errorf("limit 2 = %+v, %v", gs, err)
	}
	gs, err = r.s.Unanswered(ctx, r.now.Add(-time.Minute), 0)
	if err != nil || len(gs) != 0 {
		t.Errorf("since a minute ago = %+v, %v", gs, err)
	}
}

func TestMarkUnansweredDone(t *testing.T) {
	r := newUnansweredRig(t)
	ctx := t.Context()
	r.talk("Giá vàng hôm nay?", bot.KindFallback)
	r.talk("xổ số", bot.KindFallback)
	r.now = r.now.Add(time.Minute)
	if err := r.s.MarkUnansweredDone(ctx, "Giá  vàng hôm nay", "editor:mai", "curated gia-vang"); err != nil {
		t.Fatal(err)
	}
	got := r.unanswered(0)
	if _, ok := got["gia vang hom nay"]; ok || len(got) != 1 {
		t.Errorf("after done: %v", slices.Sorted(maps.Keys(got)))
	}
	// Asked again later: the group is back with the new occurrence only.
	r.talk("gia vang hom nay", bot.KindFallback)
	if g := r.unanswered(0)["gia vang hom nay"]; g.Count != 1 || g.Examples[0] != "gia vang hom nay" {
		t.Errorf("asked again: %+v", g)
	}
	if err := r.s.MarkUnansweredDone(ctx, " ?? ", "editor:mai", ""); err == nil {
		t.Error("an empty key was marked done")
	}
	var actor, res string
	if err := r.s.db.QueryRowContext(ctx, `SELECT actor, resolution FROM unanswered_done WHERE key = ?`, "gia vang hom nay").Scan(&actor, &res); err != nil || actor != "editor:mai" || res != "curated gia-vang" {
		t.Errorf("done mark = %q %q %v", actor, res, err)
	}
}

func TestRecordFeedbackWithoutAnswer(t *testing.T) {
	r := newUnansweredRig(t)
	id := r.talk("phường 1", bot.KindClarify)
	if _, err := r.s.RecordFeedback(t.Context(), id, -1); !errors.Is(err, bot.ErrNoAnswer) {
		t.Errorf("err = %v, want ErrNoAnswer", err)
	}
	if _, err := r.s.RecordFeedback(t.Context(), id, 2); err == nil {
		t.Error("score 2 accepted")
	}
}

// TestUnansweredQueriesUseIndexes: no query of the editors' list scans a
// whole table.
func TestUnansweredQueriesUseIndexes(t *testing.T) {
	checkNoScan(t, newSQLiteStore(t), map[string]string{
		"kind": sqlUnansweredKind, "clarify": sqlUnansweredClarify, "thumbs": sqlUnansweredThumbs,
		"done":        fmt.Sprintf(sqlUnansweredDone, "?, ?"),
		"last answer": `SELECT id FROM messages WHERE conversation_id = ? AND direction = ? AND kind = ? ORDER BY id DESC LIMIT 1`,
	})
}

// TestUnansweredLeavesOutHandoffRequestsAndQueueQuestions: what citizens
// type to reach a person or to ask about their wait is read with the bot's
// own readers and kept off the editors' list; real questions with the
// same words stay. Groups are ranked by count, then the most recent.
func TestUnansweredLeavesOutHandoffRequestsAndQueueQuestions(t *testing.T) {
	r := newUnansweredRig(t)
	// Asking for a person (the bot hands off).
	for _, text := range []string{
		"gặp cán bộ", "Gặp cán bộ", "cho tôi nói chuyện với người", "cho tôi nói chuyện với người thật",
		"cho em gặp nhân viên tư vấn với ạ", "ad ơi cho mình gặp cán bộ phường", "/canbo",
		"toi muon noi chuyen voi nhan vien", "ko muốn nói chuyện với bot",
	} {
		r.talk(text, bot.KindHandoff)
	}
	// Waiting citizens asking about the wait (the bot answers the queue
	// status, a handoff reply).
	for _, text := range []string{
		"gặp cán bộ", "còn bao lâu", "còn bao lâu nữa vậy?", "Tới lượt em chưa ạ", "đến lượt chưa",
		"sao chưa thấy ai trả lời", "có ai không", "mình đang ở vị trí thứ mấy", "chờ lâu quá",
	} {
		r.talk("gặp cán bộ", bot.KindHandoff, text, bot.KindHandoff)
	}
	// Real questions, some with the same words: they stay.
	r.talk("làm hộ chiếu mất bao lâu", bot.KindFallback)
	r.talk("tố cáo cán bộ phường thì nộp ở đâu", bot.KindFallback)
	r.talk("giá vàng hôm nay", bot.KindFallback, "giá vàng hôm nay", bot.KindHandoff) // the second miss
	r.talk("xin giấy phép karaoke", bot.KindFallback)
	r.talk("xin giấy phép karaoke", bot.KindFallback)
	r.talk("cấp đổi sổ đỏ", bot.KindFallback)
	r.talk("cấp đổi sổ đỏ", bot.KindFallback) // as often as karaoke, asked later

	gs, err := r.s.Unanswered(t.Context(), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, g := range gs {
		keys = append(keys, fmt.Sprintf("%s ×%d", g.Key, g.Count))
	}
	// Two each: the most recently asked first; then one each, likewise.
	want := []string{"cap doi so do ×2", "xin giay phep karaoke ×2", "gia vang hom nay ×2",
		"to cao can bo phuong thi nop o dau ×1", "lam ho chieu mat bao lau ×1"}
	if !slices.Equal(keys, want) {
		t.Errorf("groups\n%q\nwant\n%q", keys, want)
	}
	for i := 1; i < len(gs); i++ {
		if gs[i].Count == gs[i-1].Count && gs[i].LastAt.After(gs[i-1].LastAt) {
			t.Errorf("%q (last %v) after %q (last %v): the more recent group should come first",
				gs[i].Key, gs[i].LastAt, gs[i-1].Key, gs[i-1].LastAt)
		}
	}
}
