package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
)

// statsFixture builds a day of activity at two wards and the city level,
// on 1 July 2025 in Vietnam (17:00 UTC the day before to 17:00 UTC), seen
// at 10:00 Vietnam time (03:00 UTC).
func statsFixture(t *testing.T) (*Store, StatsWindow) {
	t.Helper()
	ctx := t.Context()
	s := newStore(t)
	var at time.Time
	s.Now = func() time.Time { return at }
	clock := func(d time.Time) { at = d }
	utc := func(day, h, m int) time.Time { return time.Date(2025, 7, day, h, m, 0, 0, time.UTC) }
	yesterday := func(h, m int) time.Time { return time.Date(2025, 6, 30, h, m, 0, 0, time.UTC) }

	// talk opens a conversation about unit ("" none) with one question and
	// the bot's answer of kind.
	n := 0
	talk := func(when time.Time, unit, text string, kind bot.Kind) (string, int64) {
		t.Helper()
		clock(when)
		n++
		id, err := s.Create(ctx, "telegram", string(rune('a'+n)))
		if err != nil {
			t.Fatal(err)
		}
		in, _, err := s.AppendInbound(ctx, id, bot.Message{Text: text}, "")
		if err != nil {
			t.Fatal(err)
		}
		st := bot.State{Mode: bot.ModeBot}
		if unit != "" {
			st.Unit = &bot.UnitRef{Code: unit}
		}
		if err := s.SaveReply(ctx, id, in, bot.Answer{Kind: kind, Text: "…"}, st); err != nil {
			t.Fatal(err)
		}
		return id, in
	}
	handoff := func(when time.Time, unit, text, reason, proc string) (string, int64) {
		t.Helper()
		id, in := talk(when, unit, text, bot.KindHandoff)
		h, _, err := s.OpenHandoff(ctx, NewHandoff{ConversationID: id, MessageID: in, Reason: reason,
			UnitCode: unit, ProcedureID: proc, DueAt: when.Add(5 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		return id, h.ID
	}
	staff := Actor{ID: 7, Name: "Lan"}
	do := func(when time.Time, err func() error) {
		t.Helper()
		clock(when)
		if e := err(); e != nil {
			t.Fatal(e)
		}
	}
	const a, b = "26734", "26737"

	// Before the window: a fallback that must not count, and a handoff still
	// queued at b since 23:00 yesterday (Vietnam time: 16:00 UTC).
	talk(yesterday(9, 0), a, "giá vàng hôm nay", bot.KindFallback)
	handoff(yesterday(16, 0), b, "gặp cán bộ", bot.ReasonRequested, "")
	// Yesterday's handoff at a, closed and rated this morning.
	a7, h7 := handoff(yesterday(10, 0), a, "gặp cán bộ", bot.ReasonRequested, "")
	do(utc(1, 0, 25), func() error { return s.Close(ctx, h7, "resolved", bot.ModeClosed, staff) })
	do(utc(1, 0, 30), func() error { return s.Rate(ctx, a7, 3) })

	// Unit a today.
	talk(utc(1, 1, 0), a, "Giá vàng hôm nay?", bot.KindFallback)
	talk(utc(1, 1, 30), a, "  gia vang   hom nay ", bot.KindFallback)
	handoff(utc(1, 2, 0), a, "gặp cán bộ", bot.ReasonRequested, "khai-sinh")  // queued 60 min, breached
	handoff(utc(1, 2, 30), a, "gặp cán bộ", bot.ReasonRequested, "khai-sinh") // queued 30 min, breached
	a5, h5 := handoff(utc(1, 1, 0), a, "gặp cán bộ", bot.ReasonRequested, "ket-hon")
	do(utc(1, 1, 2), func() error { return s.Claim(ctx, h5, staff, 0) })
	do(utc(1, 1, 3), func() error { _, err := s.StaffReply(ctx, h5, staff, bot.Answer{Text: "Chào anh"}); return err })
	do(utc(1, 1, 10), func() error { return s.Close(ctx, h5, "resolved", bot.ModeClosed, staff) })
	do(utc(1, 1, 11), func() error { return s.Rate(ctx, a5, 5) })
	_, h6 := handoff(utc(1, 0, 10), a, "khiếu nại", bot.ReasonComplaint, "") // owned, answered late
	do(utc(1, 0, 18), func() error { return s.Claim(ctx, h6, staff, 0) })
	do(utc(1, 0, 20), func() error { _, err := s.StaffReply(ctx, h6, staff, bot.Answer{Text: "Dạ"}); return err })

	// Unit b today: a second miss handed off (an unresolved question), and a
	// handoff closed unanswered before its deadline (no breach).
	handoff(utc(1, 2, 50), b, "GIÁ VÀNG hôm nay!!", bot.ReasonMisses, "khai-sinh")
	_, hb2 := handoff(utc(1, 0, 0), b, "spam", bot.ReasonRequested, "")
	do(utc(1, 0, 3), func() error { return s.Close(ctx, hb2, "spam", bot.ModeClosed, staff) })

	// No unit: the city level.
	talk(utc(1, 2, 0), "", "Xin chào   bot", bot.KindFallback)

	return s, StatsWindow{From: yesterday(17, 0), To: utc(1, 17, 0), Now: utc(1, 3, 0)}
}

func TestStats(t *testing.T) {
	s, w := statsFixture(t)
	all, err := s.Stats(t.Context(), w)
	if err != nil {
		t.Fatal(err)
	}
	onlyB := w
	onlyB.Units = []string{"26737"}
	bOnly, err := s.Stats(t.Context(), onlyB)
	if err != nil {
		t.Fatal(err)
	}
	unit := func(st Stats, code string) UnitStats {
		for _, u := range st.Units {
			if u.UnitCode == code {
				return u
			}
		}
		return UnitStats{UnitCode: "missing " + code}
	}
	a, b, city := unit(all, "26734"), unit(all, "26737"), unit(all, CityQueue)
	hourly := func(slots map[int]int) [24]int {
		var h [24]int
		for i, n := range slots {
			h[i] = n
		}
		return h
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"units with figures", len(all.Units), 3},
		{"a queued", a.Queued, 2},
		{"a owned", a.Owned, 1},
		{"a max wait", a.MaxWait, time.Hour},
		{"a avg wait", a.AvgWait, 45 * time.Minute},
		{"b queued (one since yesterday)", b.Queued, 2},
		{"b max wait", b.MaxWait, 11 * time.Hour},
		{"b avg wait", b.AvgWait, (11*time.Hour + 10*time.Minute) / 2},
		{"a handoffs today", a.Handoffs, 4},
		{"a breaches: two unanswered past due, one late answer", a.Breaches, 3},
		{"b breaches: closed before due is none", b.Breaches, 1},
		{"b handoffs today", b.Handoffs, 2},
		{"a hourly (07, 08, 09 Vietnam time)", a.Hourly, hourly(map[int]int{7: 1, 8: 1, 9: 2})},
		{"b hourly", b.Hourly, hourly(map[int]int{7: 1, 9: 1})},
		{"a conversations (yesterday's still active)", a.Conversations, 7},
		{"b conversations", b.Conversations, 2},
		{"city conversations", city.Conversations, 1},
		{"a csat", [2]any{a.CSAT(), a.CSATCount}, [2]any{4.0, 2}},
		{"b csat", [2]any{b.CSAT(), b.CSATCount}, [2]any{0.0, 0}},
		{"a matters", a.Matters, []MatterCount{{"khai-sinh", 2}, {"ket-hon", 1}}},
		{"city matters", all.Matters, []MatterCount{{"khai-sinh", 3}, {"ket-hon", 1}}},
		{"city unresolved", all.Unresolved, []Unresolved{
			{Key: "gia vang hom nay", Example: "GIÁ VÀNG hôm nay!!", Count: 3},
			{Key: "xin chao bot", Example: "Xin chào bot", Count: 1},
		}},
		{"a unresolved", a.Unresolved, []Unresolved{{Key: "gia vang hom nay", Example: "gia vang hom nay", Count: 2}}},
		{"city-level unresolved", city.Unresolved, []Unresolved{{Key: "xin chao bot", Example: "Xin chào bot", Count: 1}}},
		{"a unresolved count (every occurrence)", a.UnresolvedCount, 2},
		{"b unresolved count (the second miss)", b.UnresolvedCount, 1},
		{"city-level unresolved count", city.UnresolvedCount, 1},
		{"data since: the first conversation stored", all.DataSince, yesterdayAt(9, 0)},
		{"filter: units", len(bOnly.Units), 1},
		{"filter: the unit's figures", unit(bOnly, "26737").Breaches, 1},
		{"filter: matters", bOnly.Matters, []MatterCount{{"khai-sinh", 1}}},
		{"filter: unresolved", len(bOnly.Unresolved), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !equal(tt.got, tt.want) {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
}

func yesterdayAt(h, m int) time.Time { return time.Date(2025, 6, 30, h, m, 0, 0, time.UTC) }

func equal(got, want any) bool {
	switch g := got.(type) {
	case []MatterCount:
		return slices.Equal(g, want.([]MatterCount))
	case []Unresolved:
		return slices.Equal(g, want.([]Unresolved))
	case time.Time:
		return g.Equal(want.(time.Time))
	}
	return got == want
}

// TestStatsQueriesUseIndexes keeps the dashboard cheap: no query of it may
// scan a whole table (SQLite's plan says SCAN for that).
func TestStatsQueriesUseIndexes(t *testing.T) {
	s := newSQLiteStore(t) // SQLite's query plans
	queries := map[string]string{
		"queues": sqlQueues, "handoffs": sqlHandoffs, "conversations": sqlConversations, "csat": sqlCSAT,
		"matters": sqlMatters, "fallbacks": sqlFallbacks, "misses": sqlMisses, "data since": sqlDataSince,
		"activity chats": sqlActivityChats, "activity csat": sqlActivityCSAT,
	}
	checkNoScan(t, s, queries)
}

// checkNoScan fails for each query whose plan scans a whole table.
func checkNoScan(t *testing.T, s *Store, queries map[string]string) {
	t.Helper()
	for name, q := range queries {
		plan := queryPlan(t, s, name, q)
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") {
				t.Errorf("%s scans a table:\n%s", name, strings.Join(plan, "\n"))
			}
		}
	}
}

// TestActivity: hour by hour over two days, what the trends sum: chats
// begun, handoffs and their SLA breaches, ratings; a unit filter keeps
// only its units.
func TestActivity(t *testing.T) {
	s, w := statsFixture(t)
	w.From = yesterdayAt(0, 0)
	all, err := s.Activity(t.Context(), w)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range all {
		got = append(got, fmt.Sprintf("%s c%d h%d b%d r%d/%d", h.Hour.Format("01-02T15"), h.Chats, h.Handoffs, h.Breaches, h.CSATSum, h.CSATCount))
	}
	want := []string{
		"06-30T09 c1 h0 b0 r0/0", // a fallback
		"06-30T10 c1 h1 b1 r0/0", // closed without an answer, after its deadline
		"06-30T16 c1 h1 b1 r0/0", // still queued at b
		"07-01T00 c2 h2 b1 r3/1", // b's spam closed in time; a's answered late; yesterday's rated 3
		"07-01T01 c3 h1 b0 r5/1", // two fallbacks, one answered in time and rated 5
		"07-01T02 c4 h3 b3 r0/0", // two queued past due at a, b's second miss, a city fallback
	}
	if !slices.Equal(got, want) {
		t.Errorf("activity\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	w.Units = []string{"26737"}
	onlyB, err := s.Activity(t.Context(), w)
	if err != nil {
		t.Fatal(err)
	}
	handoffs, chats := 0, 0
	for _, h := range onlyB {
		handoffs += h.Handoffs
		chats += h.Chats
	}
	if handoffs != 3 || chats != 3 {
		t.Errorf("b only: %d handoffs, %d chats; want 3 and 3 (%+v)", handoffs, chats, onlyB)
	}
}

// A conversation's messages are read through an index on SQLite (the
// unique key since messages_conversation was dropped), never by scanning
// the messages table.
func TestConversationMessagesUseAnIndex(t *testing.T) {
	s := newSQLiteStore(t)
	for name, q := range map[string]string{
		"messages": sqlMessages, "last messages": sqlLastMessages,
		"after": sqlMessagesAfter, "after or recent": sqlMessagesAfterOrRecent,
		"clarifications' next reply": sqlUnansweredClarify,
	} {
		joined := strings.Join(queryPlan(t, s, name, q), "\n")
		if strings.Contains(joined, "SCAN messages") || !strings.Contains(joined, "(conversation_id=?") {
			t.Errorf("%s: not searched by conversation:\n%s", name, joined)
		}
	}
}

// queryPlan returns SQLite's plan of q (EXPLAIN QUERY PLAN), one step a
// line, with a date for every parameter.
func queryPlan(t *testing.T, s *Store, name, q string) []string {
	t.Helper()
	args := make([]any, strings.Count(q, "?"))
	for i := range args {
		args[i] = "2025-07-01"
	}
	rows, err := s.db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
}
