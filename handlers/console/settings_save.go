package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

const msgSettingsInvalid = "Giờ làm việc chưa hợp lệ (dạng 07:30-11:30, 13:00-17:00, các khoảng theo thứ tự), thời hạn phản hồi không nằm trong 1–1440 phút, hoặc mã nhóm Telegram không đúng dạng (-1001234567890 hay @tenkenh)."

// settingsForm is a unit's hours as typed, day by day, and the SLA.
type settingsForm struct {
	Days       map[string]string // day0 (Sunday) … day6
	SLAMinutes string
	AlertChat  string
}

// Settings parses the form into the unit's settings.
func (f settingsForm) Settings(unit string) (handoff.Settings, error) {
	s := handoff.Settings{Unit: unit, AlertChat: strings.TrimSpace(f.AlertChat)}
	for i := range 7 {
		spans, err := handoff.ParseDay(f.Days[dayField(i)])
		if err != nil {
			return s, fmt.Errorf("%w: %w", errInvalidForm, err)
		}
		s.Hours.Days[i] = spans
	}
	m, err := strconv.Atoi(strings.TrimSpace(f.SLAMinutes))
	if err != nil || m < 1 || m > 1440 {
		return s, errInvalidForm
	}
	s.SLA = time.Duration(m) * time.Minute
	return s, nil
}

// settingsSave handles POST /console/units/{code}/settings.
func (c *Console) settingsSave(w http.ResponseWriter, r *http.Request) {
	code, ok := c.settingsUnit(r)
	if !ok {
		c.fail(w, r, handoff.ErrNotFound, "")
		return
	}
	f := settingsForm{Days: map[string]string{}, SLAMinutes: r.PostFormValue("sla"), AlertChat: r.PostFormValue("alert_chat")}
	for i := range 7 {
		f.Days[dayField(i)] = r.PostFormValue(dayField(i))
	}
	s, err := f.Settings(code)
	if err == nil {
		err = c.desk.SaveSettings(r.Context(), user(r), s)
	}
	if err == nil {
		staffpage.Redirect(w, r, basePath+"/units/"+code+"/settings", "settings")
		return
	}
	c.formFailed(w, r, err, msgSettingsInvalid, "settings.html", func() (page, error) {
		cur, err := c.desk.Settings(r.Context(), code)
		if err != nil {
			return page{}, err
		}
		if m, perr := strconv.Atoi(strings.TrimSpace(f.SLAMinutes)); perr == nil {
			cur.SLA = time.Duration(m) * time.Minute
		}
		cur.AlertChat = f.AlertChat
		return c.settingsPage(r, cur, f.Days), nil
	})
}
