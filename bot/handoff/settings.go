package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
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
	closed, err := d.closedDays(ctx)
	if err != nil {
		return s, err
	}
	s.Hours.Closed = closed
	row, ok, err := d.st.UnitSettingsOf(ctx, unit)
	if err != nil || !ok {
		return s, err
	}
	h, err := decodeHours(row.HoursJSON)
	if err != nil {
		return s, fmt.Errorf("settings of %s: %w", unit, err)
	}
	h.Closed = closed
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

// closedDays are the city's holidays as Hours.Closed.
func (d *Desk) closedDays(ctx context.Context) (map[string]bool, error) {
	hs, err := d.st.Holidays(ctx)
	if err != nil {
		return nil, err
	}
	closed := make(map[string]bool, len(hs))
	for _, h := range hs {
		closed[h.Day] = true
	}
	return closed, nil
}

// Holidays lists the days the offices are closed besides the fixed-date
// public holidays.
func (d *Desk) Holidays(ctx context.Context) ([]store.Holiday, error) { return d.st.Holidays(ctx) }

// SaveHoliday closes the offices on day (YYYY-MM-DD) for the whole city
// (city admins): tickets and SLA deadlines skip it.
func (d *Desk) SaveHoliday(ctx context.Context, u staff.User, day, name string) error {
	if !u.IsCityAdmin() {
		return ErrForbidden
	}
	day, name = strings.TrimSpace(day), strings.TrimSpace(name)
	if _, err := time.Parse("2006-01-02", day); err != nil || name == "" || len([]rune(name)) > 100 {
		return fmt.Errorf("%w: a holiday needs a date (YYYY-MM-DD) and a name (≤ 100)", ErrInvalid)
	}
	return d.st.SaveHoliday(ctx, store.Holiday{Day: day, Name: name, UpdatedBy: u.Name})
}

// DeleteHoliday opens the offices again on day (city admins).
func (d *Desk) DeleteHoliday(ctx context.Context, u staff.User, day string) error {
	if !u.IsCityAdmin() {
		return ErrForbidden
	}
	return d.st.DeleteHoliday(ctx, day)
}
