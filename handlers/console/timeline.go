package console

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// entry is one line of a conversation's history: a message, or an event
// of its handoff (notes, claims, transfers …), in time order.
type entry struct {
	At         time.Time
	Class      string // in | bot | staff | system | note | event
	Who        string
	Text       string
	Unit       string   // a bot answer's unit
	Candidates []string // a bot answer's candidate units
	Procedure  string   // a bot answer's procedure
	Office     string   // a bot answer's office
	Place      string   // a citizen's pin
}

func timeline(v handoff.View) []entry {
	var out []entry
	for _, m := range v.Messages {
		if m.Direction == store.DirectionOut && m.Kind == bot.KindNone {
			continue // the bot stayed silent
		}
		out = append(out, messageEntry(m))
	}
	for _, e := range v.Events {
		out = append(out, eventEntry(e))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

func messageEntry(m store.StoredMessage) entry {
	e := entry{At: m.CreatedAt, Text: m.Text}
	switch {
	case m.Direction == store.DirectionIn:
		e.Class, e.Who = "in", "Công dân"
		if m.Location != nil {
			e.Place = fmt.Sprintf("📍 Vị trí đã gửi: %.5f, %.5f", m.Location.Lat, m.Location.Lon)
		}
		return e
	case m.Kind == bot.KindStaff || m.AuthorName != "":
		e.Class, e.Who = "staff", "Cán bộ "+m.AuthorName
	case m.Kind == bot.KindSystem:
		e.Class, e.Who = "system", "Thông báo của hệ thống"
	default:
		e.Class, e.Who = "bot", "Trợ lý Hỏi Phường"
	}
	if a := m.Answer; a != nil {
		if e.Text == "" {
			e.Text = a.Text
		}
		if e.Class == "staff" && a.Text != "" {
			e.Text = a.Text // without the channel's "👤 Cán bộ …" prefix
		}
		if a.Unit != nil {
			e.Unit = a.Unit.Name
		}
		for _, c := range a.Candidates {
			e.Candidates = append(e.Candidates, c.Name)
		}
		if a.Procedure != nil {
			e.Procedure = a.Procedure.Name
		}
		if a.Office != nil {
			e.Office = strings.TrimSpace(strings.Join(nonEmpty(a.Office.Authority, a.Office.Address, a.Office.Phone), " · "))
		}
	}
	return e
}

func eventEntry(ev store.Event) entry {
	e := entry{At: ev.CreatedAt, Class: "event", Who: ev.ActorName}
	switch ev.Kind {
	case store.EventQueued:
		e.Text = "Vào hàng chờ"
	case store.EventClaimed:
		if to, ok := strings.CutPrefix(ev.Text, "→ "); ok {
			e.Text = "đã giao cho " + to
		} else {
			e.Text = "đã nhận xử lý"
		}
	case store.EventNote:
		e.Class, e.Text = "note", ev.Text
	case store.EventTransferred:
		e.Text = "đã chuyển hàng chờ: " + ev.Text
	case store.EventHandedBack:
		e.Text = "đã trả lại cho bot"
	case store.EventClosed:
		e.Text = "đã kết thúc: " + handoff.OutcomeName(ev.Text)
	case store.EventEscalated:
		e.Class, e.Text = "event breach", "Quá hạn phản hồi — đã báo người phụ trách"
	case store.EventLeft:
		e.Text = "Công dân quay lại hỏi bot; yêu cầu vẫn chờ cán bộ"
	case store.EventReturned:
		e.Text = "Công dân lại muốn gặp cán bộ"
	case store.EventRated:
		e.Text = "Công dân chấm điểm: " + ev.Text + "/5"
	default:
		e.Text = ev.Kind + " " + ev.Text
	}
	return e
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
