package handoff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// courier records deliveries like the outbox would receive them.
type courier struct {
	mu   sync.Mutex
	keys []string
	sent []bot.Answer
}

func (c *courier) Deliver(_ context.Context, channel, chatID, key string, a bot.Answer) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = append(c.keys, channel+"/"+chatID+"/"+key)
	c.sent = append(c.sent, a)
	return nil
}

// rig is a citizen-facing Service and a Desk on one real SQLite database,
// with a settable clock (Vietnam time).
type rig struct {
	svc     *bot.Service
	desk    *Desk
	st      *store.Store
	courier *courier
	now     time.Time
	mu      sync.Mutex
	chats   int
}

func (r *rig) clock() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.now }
func (r *rig) set(t time.Time)  { r.mu.Lock(); r.now = t; r.mu.Unlock() }

var (
	kbOnce sync.Once
	kbSeed *knowledge.KB
)

func newRig(t *testing.T, now time.Time, opts ...func(*Config)) *rig {
	t.Helper()
	ctx := t.Context()
	db := sqldbtest.Open(t)
	st, err := store.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	kbOnce.Do(func() { kbSeed, err = seed.Load() })
	if err != nil || kbSeed == nil {
		t.Fatalf("seed: %v", err)
	}
	r := &rig{st: st, courier: &courier{}, now: now}
	st.Now = r.clock
	cfg := Config{Store: st, Catalog: NewCatalog(func() *knowledge.KB { return kbSeed }), Courier: r.courier, Now: r.clock}
	for _, o := range opts {
		o(&cfg)
	}
	r.desk, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.svc = bot.NewService(bot.NewEngine(bot.Config{KB: kbSeed, Now: r.clock}), st)
	r.svc.SetQueue(r.desk)
	return r
}

// chat opens a Zalo-like conversation (with an external chat id) and says
// each text in turn, returning the last answer.
func (r *rig) chat(t *testing.T, id string, texts ...string) (string, bot.Answer) {
	t.Helper()
	ctx := t.Context()
	if id == "" {
		var err error
		r.chats++
		ext := "u-" + t.Name()
		if r.chats > 1 {
			ext += fmt.Sprint(r.chats)
		}
		if id, _, err = r.st.GetOrCreateByExternal(ctx, "zalo-oa", ext); err != nil {
			t.Fatal(err)
		}
	}
	var a bot.Answer
	for _, text := range texts {
		var err error
		if a, err = r.svc.Handle(ctx, bot.Message{ConversationID: id, Channel: "zalo-oa", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	return id, a
}

var (
	staffA = staff.User{ID: 1, Name: "Cán bộ A", Role: staff.RoleStaff, Units: []string{"27154"}, MaxChats: 5}
	staffB = staff.User{ID: 2, Name: "Cán bộ B", Role: staff.RoleStaff, Units: []string{"26740"}, MaxChats: 5}
	supA   = staff.User{ID: 3, Name: "Tổ trưởng A", Role: staff.RoleSupervisor, Units: []string{"27154"}, MaxChats: 5}
	admin  = staff.User{ID: 4, Name: "Quản trị", Role: staff.RoleCityAdmin}
	editor = staff.User{ID: 5, Name: "Biên tập", Role: staff.RoleEditor}
)

func TestHandoffLifecycle(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(0, 9, 0)) // Monday 09:00: the office is open
	events, stop := r.desk.Hub().Subscribe(func(e live.Event) bool { return e.Unit == "27154" })
	defer stop()

	id, a := r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
	if a.Kind != bot.KindHandoff || a.Ticket == nil || a.Ticket.Unit.Code != "27154" || a.Ticket.Position != 1 {
		t.Fatalf("handoff answer = %+v", a)
	}
	for _, want := range []string{"Phường Bàn Cờ", "vị trí số 1", "khoảng 5 phút", "HP-"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("handoff text lacks %q: %s", want, a.Text)
		}
	}
	if e := <-events; e.Kind != live.Queued || e.ConversationID != id {
		t.Errorf("first live event = %+v, want queued", e)
	}

	// While queued the bot is silent, but says the wait when asked.
	if _, a = r.chat(t, id, "thủ tục khai sinh cần gì"); a.Kind != bot.KindNone || a.Text != "" {
		t.Errorf("queued: bot answered %+v", a)
	}
	if e := <-events; e.Kind != live.Message || e.Direction != "in" {
		t.Errorf("staff not told of the citizen's message: %+v", e)
	}
	if _, a = r.chat(t, id, "còn bao lâu nữa vậy"); a.Kind != bot.KindHandoff || !strings.Contains(a.Text, "vị trí số 1") {
		t.Errorf("asked for the wait: %+v", a)
	}

	// Access: another unit's staff and editors see nothing.
	for _, u := range []staff.User{staffB, editor} {
		if _, err := r.desk.Conversation(ctx, u, id, nil); !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrForbidden) {
			t.Errorf("%s opened another unit's conversation: %v", u.Name, err)
		}
		if err := r.desk.Claim(ctx, u, id); err == nil {
			t.Errorf("%s claimed another unit's conversation", u.Name)
		}
		if q, _ := r.desk.Queue(ctx, u, ""); len(q) != 0 {
			t.Errorf("%s sees %d queued chats of another unit", u.Name, len(q))
		}
	}
	if q, err := r.desk.Queue(ctx, admin, ""); err != nil || len(q) != 1 {
		t.Errorf("city admin queue = %d, %v", len(q), err)
	}

	// Staff A claims, replies through the citizen's channel.
	if err := r.desk.Claim(ctx, staffA, id); err != nil {
		t.Fatal(err)
	}
	if err := r.desk.Claim(ctx, supA, id); !errors.Is(err, ErrTaken) {
		t.Errorf("second claim: %v, want ErrTaken", err)
	}
	if err := r.desk.Reply(ctx, staffA, id, "Chào anh, anh cần làm khai sinh cho bé phải không?"); err != nil {
		t.Fatal(err)
	}
	if len(r.courier.keys) != 1 || !strings.HasPrefix(r.courier.keys[0], "zalo-oa/u-TestHandoffLifecycle/staff:") ||
		!strings.Contains(r.courier.sent[0].Text, "Cán bộ A") {
		t.Errorf("delivery = %v %+v", r.courier.keys, r.courier.sent)
	}
	v, err := r.desk.Conversation(ctx, staffA, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Mine || v.FirstResponseAt.IsZero() || !v.WindowOpen || v.Summary == "" {
		t.Errorf("view = mine %v first response %v window %v summary %q", v.Mine, v.FirstResponseAt, v.WindowOpen, v.Summary)
	}
	if last := v.Messages[len(v.Messages)-1]; last.AuthorName != "Cán bộ A" || last.Kind != bot.KindStaff {
		t.Errorf("last message = %+v, want the staff reply with its author", last)
	}
	if err := r.desk.Transfer(ctx, staffA, id, "26740", ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("transfer without a reason: %v", err)
	}

	// Close: the citizen is asked for a rating, then a comment, then the bot is back.
	if err := r.desk.Close(ctx, staffA, id, "resolved"); err != nil {
		t.Fatal(err)
	}
	if got := r.courier.sent[len(r.courier.sent)-1]; got.Asks != bot.AskRating || len(got.Replies) != 5 {
		t.Errorf("close notice = %+v, want the rating question", got)
	}
	if _, a = r.chat(t, id, "5"); a.Asks != bot.AskComment {
		t.Errorf("rating answer = %+v", a)
	}
	if _, a = r.chat(t, id, "cán bộ trả lời nhanh, cảm ơn"); a.Kind != bot.KindSystem {
		t.Errorf("comment answer = %+v", a)
	}
	h, _ := r.st.LastHandoff(ctx, id)
	if rt, ok, _ := r.st.RatingOf(ctx, h.ID); !ok || rt.Score != 5 || rt.Comment != "cán bộ trả lời nhanh, cảm ơn" {
		t.Errorf("rating stored = %+v %v", rt, ok)
	}
	if _, a = r.chat(t, id, "Phường 5, Quận 3"); a.Kind != bot.KindAnswer || a.Unit == nil || a.Unit.Code != "27154" {
		t.Errorf("after the rating the bot answers again: %+v", a)
	}
}

func TestAfterHoursTicketAndHandBack(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(5, 20, 0)) // Saturday 20:00
	id, a := r.chat(t, "", "tôi muốn gặp cán bộ")
	if a.Ticket == nil || a.Ticket.InHours || a.Ticket.Unit.Code != staff.CityQueue {
		t.Fatalf("after-hours ticket = %+v", a.Ticket)
	}
	for _, want := range []string{"ngoài giờ làm việc", "07:30 thứ Hai, 07/12/2026", a.Ticket.Number, "Thành phố"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("after-hours text lacks %q: %s", want, a.Text)
		}
	}
	h, _ := r.st.ActiveHandoff(ctx, id)
	if want := at(7, 7, 35); !h.DueAt.Equal(want) {
		t.Errorf("SLA due %v, want %v (5 office minutes after Monday's opening)", h.DueAt, want)
	}
	if err := r.desk.HandBack(ctx, admin, id); err != nil {
		t.Fatal(err)
	}
	if _, a = r.chat(t, id, "Phường 5, Quận 3"); a.Kind != bot.KindAnswer {
		t.Errorf("after hand-back the bot answers: %+v", a)
	}
}

func TestSLAEscalatesOnceAfterDeadline(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(0, 9, 0))
	events, stop := r.desk.Hub().Subscribe(func(e live.Event) bool { return e.Kind == live.Escalate })
	defer stop()
	answered, _ := r.chat(t, "", "Phường 5, Quận 3", "gặp cán bộ")
	r.chat(t, "", "gặp cán bộ")                                             // a second conversation, in the city queue
	if err := r.desk.Reply(ctx, staffA, answered, "Chào anh"); err != nil { // first response within the SLA
		t.Fatal(err)
	}
	if n, _ := r.desk.Escalate(ctx); n != 0 {
		t.Errorf("escalated %d before any deadline", n)
	}
	r.set(at(0, 9, 6))
	if n, err := r.desk.Escalate(ctx); n != 1 || err != nil {
		t.Errorf("escalated %d (%v) six minutes later, want 1 (the one without a response)", n, err)
	}
	if n, _ := r.desk.Escalate(ctx); n != 0 {
		t.Errorf("escalated again: %d", n)
	}
	select {
	case e := <-events:
		if e.Unit != staff.CityQueue {
			t.Errorf("escalation of unit %q", e.Unit)
		}
	default:
		t.Error("no live escalation event")
	}
	q, _ := r.desk.Queue(ctx, admin, staff.CityQueue)
	if len(q) != 1 || !q[0].Breached {
		t.Errorf("city queue = %+v, want the breached one highlighted", q)
	}
}

// A unit may name a Telegram group: it hears of a new chat and of an
// overdue one — ticket, unit and a console link, never the citizen's words
// — once each, through the courier (the outbox).
func TestUnitAlertGroup(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(0, 9, 0))
	r.desk.cfg.AlertChannel, r.desk.cfg.ConsoleURL = "telegram", "https://hoiphuong.example/console"
	if err := r.desk.SaveSettings(ctx, staffA, Settings{Unit: "27154", Hours: DefaultHours(), SLA: 5 * time.Minute, AlertChat: "-1001234567890"}); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff saved settings: %v, want ErrForbidden", err)
	}
	if err := r.desk.SaveSettings(ctx, supA, Settings{Unit: "27154", Hours: DefaultHours(), SLA: 5 * time.Minute, AlertChat: "nhóm của tôi"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a bad chat id saved: %v, want ErrInvalid", err)
	}
	if err := r.desk.SaveSettings(ctx, supA, Settings{Unit: "27154", Hours: DefaultHours(), SLA: 5 * time.Minute, AlertChat: "-1001234567890"}); err != nil {
		t.Fatal(err)
	}
	id, _ := r.chat(t, "", "Phường 5, Quận 3", "số tôi 0909123456, cho tôi gặp cán bộ")
	r.chat(t, id, "cho tôi gặp cán bộ") // asked again: no second alert
	r.set(at(0, 9, 6))
	if _, err := r.desk.Escalate(ctx); err != nil {
		t.Fatal(err)
	}
	var alerts []string
	for i, k := range r.courier.keys {
		if strings.HasPrefix(k, "telegram/-1001234567890/") {
			alerts = append(alerts, k+" "+r.courier.sent[i].Text)
		}
	}
	if len(alerts) != 2 {
		t.Fatalf("alerts = %q, want one for the new chat and one when overdue", alerts)
	}
	for _, want := range []string{"alert:queued:", "Có công dân chờ cán bộ Phường Bàn Cờ", "HP-000001", "https://hoiphuong.example/console/c/" + id} {
		if !strings.Contains(alerts[0], want) {
			t.Errorf("new-chat alert lacks %q: %s", want, alerts[0])
		}
	}
	if !strings.Contains(alerts[1], "alert:overdue:") || !strings.Contains(alerts[1], "quá hạn") {
		t.Errorf("overdue alert = %s", alerts[1])
	}
	for _, a := range alerts {
		if strings.Contains(a, "0909123456") || strings.Contains(a, "gặp cán bộ") {
			t.Errorf("an alert carries the citizen's words: %s", a)
		}
	}
}

// City admins close the offices on the days the city announces (Tết);
// the ticket then promises the next working day.
func TestHolidayMovesTheTicketsPromise(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(0, 9, 0)) // Monday 30/11/2026, 09:00
	if err := r.desk.SaveHoliday(ctx, supA, "2026-11-30", "Nghỉ bù"); !errors.Is(err, ErrForbidden) {
		t.Errorf("a supervisor closed the city's offices: %v", err)
	}
	if err := r.desk.SaveHoliday(ctx, admin, "30/11/2026", "Nghỉ bù"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a date typed as dd/mm/yyyy: %v, want ErrInvalid", err)
	}
	for _, day := range []string{"2026-11-30", "2026-12-01"} {
		if err := r.desk.SaveHoliday(ctx, admin, day, "Nghỉ bù"); err != nil {
			t.Fatal(err)
		}
	}
	_, a := r.chat(t, "", "Phường 5, Quận 3", "gặp cán bộ")
	if a.Ticket == nil || a.Ticket.InHours || !strings.Contains(a.Text, "07:30 thứ Tư, 02/12/2026") {
		t.Errorf("ticket on a holiday = %+v\n%s", a.Ticket, a.Text)
	}
	if hs, _ := r.desk.Holidays(ctx); len(hs) != 2 {
		t.Errorf("holidays = %+v", hs)
	}
	if err := r.desk.DeleteHoliday(ctx, admin, "2026-12-01"); err != nil {
		t.Fatal(err)
	}
	if hs, _ := r.desk.Holidays(ctx); len(hs) != 1 {
		t.Errorf("after a delete: %+v", hs)
	}
}
