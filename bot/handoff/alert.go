package handoff

import (
	"context"
	"fmt"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Alert kinds for a unit's group.
const (
	alertQueued  = "queued"
	alertOverdue = "overdue"
)

// alert tells the unit's Telegram group (Settings.AlertChat) that a chat
// waits or is overdue: the ticket, the unit and a link to the console —
// never the citizen's words. It goes through the outbox like any message,
// once per handoff, unit and kind; a failure is logged, never in the way
// of the citizen's answer. set are the settings of h's unit.
func (d *Desk) alert(ctx context.Context, h store.Handoff, set Settings, kind string) {
	if d.cfg.Courier == nil || d.cfg.AlertChannel == "" || set.AlertChat == "" {
		return
	}
	var text string
	switch kind {
	case alertQueued:
		text = fmt.Sprintf("🔔 Có công dân chờ cán bộ %s — yêu cầu %s.", d.UnitName(h.UnitCode), TicketNumber(h.ID))
	case alertOverdue:
		text = fmt.Sprintf("⏰ Yêu cầu %s ở %s đã quá hạn phản hồi đầu tiên.", TicketNumber(h.ID), d.UnitName(h.UnitCode))
	}
	if d.cfg.ConsoleURL != "" {
		text += " Mở: " + d.cfg.ConsoleURL + "/c/" + h.ConversationID
	}
	key := fmt.Sprintf("alert:%s:%d:%s", kind, h.ID, h.UnitCode)
	if err := d.cfg.Courier.Deliver(ctx, d.cfg.AlertChannel, set.AlertChat, key, bot.Answer{Kind: bot.KindSystem, Text: text}); err != nil {
		d.cfg.Logger.Warn("unit alert not queued", "unit", h.UnitCode, "handoff", h.ID, "err", err)
	}
}
