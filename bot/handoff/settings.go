package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// alertChat is a Telegram chat id (groups are negative) or @channel name.
var alertChat = regexp.MustCompile(`^(-?[0-9]{5,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$`)

// Settings are a unit's office hours and first-response target.
type Settings struct {
	Unit  string
	Hours Hours
	SLA   time.Duration
	// AlertChat is a Telegram group (chat id such as -1001234567890, or
	// @channel) told of new and overdue chats; "": none.
	AlertChat string
	Custom    bool // false: the defaults
	UpdatedBy string
	UpdatedAt time.Time
}

// Settings returns the unit's settings (the defaults when never edited).
func (d *Desk) Settings(ctx context.Context, unit string) (Settings, error) {
	s := Settings{Unit: unit, Hours: DefaultHours(), SLA: d.cfg.SLA}
	row, ok, err := d.st.UnitSettingsOf(ctx, unit)
	if err != nil || !ok {
		return s, err
	}
	h, err := decodeHours(row.HoursJSON)
	if err != nil {
		return s, fmt.Errorf("settings of %s: %w", unit, err)
	}
	s.Hours, s.SLA, s.Custom, s.UpdatedBy, s.UpdatedAt = h, time.Duration(row.SLASeconds)*time.Second, true, row.UpdatedBy, row.UpdatedAt
	s.AlertChat = row.AlertChat
	return s, nil
}

// SaveSettings stores a unit's hours and SLA (supervisors of the unit and
// city admins).
func (d *Desk) SaveSettings(ctx context.Context, u staff.User, s Settings) error {
	if !u.CanSeeUnit(s.Unit) {
		return ErrNotFound
	}
	if !u.CanReassign() {
		return ErrForbidden
	}
	if err := s.Hours.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if s.SLA < time.Minute || s.SLA > 24*time.Hour {
		return fmt.Errorf("%w: SLA %s out of 1 min – 24 h", ErrInvalid, s.SLA)
	}
	if s.AlertChat != "" && !alertChat.MatchString(s.AlertChat) {
		return fmt.Errorf("%w: alert chat %q is not a Telegram chat id or @channel", ErrInvalid, s.AlertChat)
	}
	b, err := json.Marshal(s.Hours)
	if err != nil {
		return err
	}
	return d.st.SaveUnitSettings(ctx, store.UnitSettings{UnitCode: s.Unit, HoursJSON: string(b),
		SLASeconds: int(s.SLA / time.Second), AlertChat: s.AlertChat, UpdatedBy: u.Name})
}
