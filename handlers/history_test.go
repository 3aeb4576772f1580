package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/channeltest"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/webchat"
	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// clerk works Phường Bàn Cờ's queue.
var clerk = staff.User{ID: 7, Name: "Nguyễn Thị Lan", Role: staff.RoleStaff, Units: []string{"27154"}, MaxChats: 5}

// deskRig is the web chat on the real inbox, store and engine with the
// ward queues (bot/handoff) wired as the gateway wires them.
type deskRig struct {
	*channeltest.Rig
	web  *webchat.Channel
	desk *handoff.Desk
}

// newDeskRig wires the rig; now, when not nil, is the desk's clock (office
// hours and waits).
func newDeskRig(t *testing.T, now func() time.Time) *deskRig {
	t.Helper()
	rig, web := channeltest.NewWebChat(t, channeltest.RigOptions{})
	kb := rig.Service.Engine().KB()
	desk, err := handoff.New(handoff.Config{Store: rig.Store, Hub: live.New(0), Now: now,
		Catalog: handoff.NewCatalog(func() *knowledge.KB { return kb })})
	if err != nil {
		t.Fatal(err)
	}
	rig.Service.SetQueue(desk)
	return &deskRig{Rig: rig, web: web, desk: desk}
}

// deps wires the rig into the router like `serve` does.
func (r *deskRig) deps(d *handlers.Deps) {
	d.History, d.Live, d.Tickets = r.Store, r.desk.Hub(), r.desk
}

type historyBody struct {
	Messages []struct {
		ID       int64         `json:"id"`
		From     string        `json:"from"`
		Text     string        `json:"text"`
		Location *bot.Location `json:"location"`
		ToStaff  bool          `json:"to_staff"`
		Answer   *bot.Answer   `json:"answer"`
		Staff    string        `json:"staff"`
	} `json:"messages"`
	Ticket *bot.Ticket `json:"ticket"`
}

// GET …/messages gives the holder of the token the conversation back in
// order — the citizen's messages, the answers, the staff reply, never the
// internal note — with the open ticket; without the token nothing.
func TestConversationHistory(t *testing.T) {
	r := newDeskRig(t, nil)
	srv := startServer(t, r.web, r.deps)
	citizen := srv.Client()
	id, token := openSession(t, citizen, srv.URL)
	msgs := srv.URL + "/api/v1/conversations/" + id + "/messages"
	say := func(text string) bot.Answer {
		t.Helper()
		status, _, body := request(t, citizen, http.MethodPost, msgs, `{"text":"`+text+`"}`)
		var a bot.Answer
		if err := json.Unmarshal(body, &a); status != http.StatusOK || err != nil {
			t.Fatalf("%q: %d %s", text, status, body)
		}
		return a
	}
	say("phường 5 quận 3")
	if a := say("cho tôi gặp cán bộ"); a.Kind != bot.KindHandoff || a.Ticket == nil {
		t.Fatalf("handoff = %+v", a)
	}
	say("tôi cần làm giấy khai sinh cho con")
	ctx := t.Context()
	const note = "Ghi chú nội bộ: công dân đã gọi tổng đài hôm qua"
	if err := r.desk.Note(ctx, clerk, id, note); err != nil {
		t.Fatal(err)
	}
	if err := r.desk.Reply(ctx, clerk, id, "Chào anh, tôi là cán bộ phường Bàn Cờ."); err != nil {
		t.Fatal(err)
	}

	read := func(c *http.Client, headers ...string) (int, []byte, historyBody) {
		t.Helper()
		status, header, body := request(t, c, http.MethodGet, msgs, "", headers...)
		var h historyBody
		if status == http.StatusOK {
			if err := json.Unmarshal(body, &h); err != nil {
				t.Fatalf("history does not parse: %v: %s", err, body)
			}
			if header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", header.Get("Cache-Control"))
			}
		}
		return status, body, h
	}
	status, body, h := read(citizen) // the page: its HttpOnly cookie
	if status != http.StatusOK {
		t.Fatalf("history with the cookie: %d %s", status, body)
	}
	if strings.Contains(string(body), "Ghi chú nội bộ") || strings.Contains(string(body), "tổng đài hôm qua") {
		t.Errorf("the internal note reached the citizen: %s", body)
	}
	var got []string
	for _, m := range h.Messages {
		switch m.From {
		case "citizen":
			got = append(got, "citizen:"+m.Text+map[bool]string{true: " (to staff)"}[m.ToStaff])
		case "staff":
			got = append(got, "staff:"+m.Staff+":"+m.Answer.Text)
		default:
			got = append(got, "bot:"+string(m.Answer.Kind))
		}
	}
	want := []string{"citizen:phường 5 quận 3", "bot:answer", "citizen:cho tôi gặp cán bộ", "bot:handoff",
		"citizen:tôi cần làm giấy khai sinh cho con (to staff)", "staff:Nguyễn Thị Lan:Chào anh, tôi là cán bộ phường Bàn Cờ."}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := 1; i < len(h.Messages); i++ {
		if h.Messages[i].ID <= h.Messages[i-1].ID {
			t.Errorf("messages out of order: %d after %d", h.Messages[i].ID, h.Messages[i-1].ID)
		}
	}
	if tk := h.Ticket; tk == nil || tk.Number != "HP-000001" || tk.Unit.Code != "27154" || !tk.Owned || tk.WithBot {
		t.Errorf("ticket = %+v, want HP-000001 of Phường Bàn Cờ, owned by the clerk", tk)
	}

	// The app's bearer token reads the same; the citizen back with the bot
	// still has the ticket, marked.
	say("quay lại hỏi bot")
	stranger := &http.Client{}
	status, body, h = read(stranger, "Authorization", "Bearer "+token)
	if status != http.StatusOK || h.Ticket == nil || !h.Ticket.WithBot || h.Ticket.Number != "HP-000001" {
		t.Errorf("with the bearer token after leaving: %d ticket %+v %s", status, h.Ticket, body)
	}
	if last := h.Messages[len(h.Messages)-1]; last.From != "bot" || last.Answer.Kind != bot.KindSystem || last.Answer.Ticket == nil {
		t.Errorf("last message = %+v, want the back-to-the-bot notice", last)
	}

	// Without the token: nothing, in the API's one error shape.
	tg, _, err := r.Store.GetOrCreateByExternal(ctx, "telegram", "4242")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, url string
		headers   []string
		status    int
		code      string
	}{
		{"no token", msgs, nil, 401, "token_required"},
		{"a wrong token", msgs, []string{"Authorization", "Bearer " + strings.Repeat("x", 43)}, 404, "conversation_not_found"},
		{"another conversation's cookie", msgs, []string{"Cookie", "hp_chat=other." + token}, 401, "token_required"},
		{"a Telegram conversation with this token", srv.URL + "/api/v1/conversations/" + tg + "/messages", []string{"Authorization", "Bearer " + token}, 404, "conversation_not_found"},
		{"an unknown id", srv.URL + "/api/v1/conversations/nope/messages", []string{"Authorization", "Bearer " + token}, 404, "conversation_not_found"},
	} {
		status, _, body := request(t, stranger, http.MethodGet, tc.url, "", tc.headers...)
		if status != tc.status {
			t.Errorf("%s: %d, want %d; %s", tc.name, status, tc.status, body)
			continue
		}
		assertError(t, body, tc.code)
		if strings.Contains(string(body), "phường") {
			t.Errorf("%s: the refusal carries the conversation: %s", tc.name, body)
		}
	}
}

// A conversation without a handoff has a null ticket, and its answers
// keep their quick replies for the page to tell live from answered.
func TestConversationHistoryWithoutTicket(t *testing.T) {
	r := newDeskRig(t, nil)
	srv := startServer(t, r.web, r.deps)
	c := srv.Client()
	id, _ := openSession(t, c, srv.URL)
	msgs := srv.URL + "/api/v1/conversations/" + id + "/messages"
	status, _, body := request(t, c, http.MethodGet, msgs, "")
	if status != http.StatusOK || string(body) != `{"messages":[],"ticket":null}`+"\n" {
		t.Errorf("a new conversation: %d %q", status, body)
	}
	request(t, c, http.MethodPost, msgs, `{"lat":10.7769,"lon":106.7009}`)
	_, _, body = request(t, c, http.MethodGet, msgs, "")
	var h historyBody
	if err := json.Unmarshal(body, &h); err != nil || len(h.Messages) != 2 || h.Ticket != nil {
		t.Fatalf("history = %s (%v)", body, err)
	}
	if pin := h.Messages[0].Location; pin == nil || pin.Lat != 10.7769 || h.Messages[0].Text != "" {
		t.Errorf("the pin = %+v", h.Messages[0])
	}
	if a := h.Messages[1].Answer; a == nil || a.Unit == nil || a.Unit.Name != "Phường Sài Gòn" || len(a.Replies) == 0 {
		t.Errorf("the answer = %+v", a)
	}
}

// The live stream tells the page its ticket: at the start, and again when
// a clerk claims it.
func TestEventsStreamTicket(t *testing.T) {
	r := newDeskRig(t, nil)
	srv := startServer(t, r.web, r.deps)
	c := srv.Client()
	id, _ := openSession(t, c, srv.URL)
	base := srv.URL + "/api/v1/conversations/" + id
	request(t, c, http.MethodPost, base+"/messages", `{"text":"Phường 5, Quận 3"}`)
	request(t, c, http.MethodPost, base+"/messages", `{"text":"gặp cán bộ"}`)

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	next := func(event string) string { // the data of the next event of this kind
		t.Helper()
		kind := ""
		for sc.Scan() {
			line := sc.Text()
			if k, ok := strings.CutPrefix(line, "event: "); ok {
				kind = k
			}
			if d, ok := strings.CutPrefix(line, "data: "); ok && kind == event {
				return d
			}
		}
		t.Fatalf("no %s event: %v", event, sc.Err())
		return ""
	}
	var tk bot.Ticket
	if err := json.Unmarshal([]byte(next("ticket")), &tk); err != nil || tk.Number != "HP-000001" || tk.Owned || tk.Position != 1 {
		t.Fatalf("first ticket event = %+v (%v)", tk, err)
	}
	if err := r.desk.Claim(t.Context(), clerk, id); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(next("ticket")), &tk); err != nil || !tk.Owned {
		t.Errorf("after the claim: %+v (%v)", tk, err)
	}
}
