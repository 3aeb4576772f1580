package handoff

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Zone is Vietnam's time (UTC+7, no daylight saving): office hours are
// local times there, whatever the server's zone.
var zone = time.FixedZone("ICT", 7*60*60)

// Span is a stretch of office hours within a day, in minutes after midnight.
type Span struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Hours are a unit's weekly office hours: Days[0] is Sunday. Offices are
// closed on Vietnam's fixed-date public holidays (1/1, 30/4, 1/5, 2/9) and
// on the days in Closed (Tết and the other days the city announces each
// year, kept in the console).
type Hours struct {
	Days   [7][]Span       `json:"days"`
	Closed map[string]bool `json:"-"` // YYYY-MM-DD, Vietnam's calendar
}

// fixedHolidays are the public holidays on the same solar date every year
// (Labour Code 2019, art. 112); Tết, Giỗ Tổ and the days around 2/9 move
// and are entered in the console.
var fixedHolidays = map[string]bool{"01-01": true, "04-30": true, "05-01": true, "09-02": true}

// spansOn are the office hours of the day d (in zone): none on a holiday.
func (h Hours) spansOn(d time.Time) []Span {
	if fixedHolidays[d.Format("01-02")] || h.Closed[d.Format("2006-01-02")] {
		return nil
	}
	return h.Days[d.Weekday()]
}

// DefaultHours are a ward office's usual hours: Monday to Friday
// 07:30–11:30 and 13:00–17:00, Saturday morning 07:30–11:30.
func DefaultHours() Hours {
	var h Hours
	weekday := []Span{{450, 690}, {780, 1020}}
	for d := time.Monday; d <= time.Friday; d++ {
		h.Days[d] = weekday
	}
	h.Days[time.Saturday] = []Span{{450, 690}}
	return h
}

// Validate checks that spans are within a day, non-empty and in order.
func (h Hours) Validate() error {
	for d, spans := range h.Days {
		prev := -1
		for _, s := range spans {
			if s.From < 0 || s.To > 24*60 || s.From >= s.To || s.From < prev {
				return fmt.Errorf("%s: %s–%s is not a valid span", dayNames[d], clock(s.From), clock(s.To))
			}
			prev = s.To
		}
	}
	return nil
}

// Open reports whether t falls within office hours.
func (h Hours) Open(t time.Time) bool {
	t = t.In(zone)
	m := t.Hour()*60 + t.Minute()
	for _, s := range h.spansOn(t) {
		if m >= s.From && m < s.To {
			return true
		}
	}
	return false
}

// NextOpen is t when the office is open, else the start of the next span
// (zero when the week has no hours at all).
func (h Hours) NextOpen(t time.Time) time.Time {
	if h.Open(t) {
		return t
	}
	t = t.In(zone)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zone)
	for i := 0; i <= 31; i++ { // Tết closes the offices for about a week
		d := day.AddDate(0, 0, i)
		for _, s := range h.spansOn(d) {
			start := d.Add(time.Duration(s.From) * time.Minute)
			if start.After(t) {
				return start
			}
		}
	}
	return time.Time{}
}

// AddWorking returns the instant d of office time after t (a deadline that
// only runs while the office is open). With no hours at all it is t + d.
func (h Hours) AddWorking(t time.Time, d time.Duration) time.Time {
	t = t.In(zone)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zone)
	for i := 0; i < 366; i++ {
		dd := day.AddDate(0, 0, i)
		for _, s := range h.spansOn(dd) {
			start := dd.Add(time.Duration(s.From) * time.Minute)
			end := dd.Add(time.Duration(s.To) * time.Minute)
			if end.Before(t) || end.Equal(t) {
				continue
			}
			if start.Before(t) {
				start = t
			}
			if left := end.Sub(start); d <= left {
				return start.Add(d)
			} else {
				d -= left
			}
		}
	}
	return t.Add(d)
}

var dayNames = [7]string{"CN", "T2", "T3", "T4", "T5", "T6", "T7"}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// String says the hours in Vietnamese, grouping days with the same hours:
// "T2–T6: 07:30–11:30, 13:00–17:00; T7: 07:30–11:30".
func (h Hours) String() string {
	order := []int{1, 2, 3, 4, 5, 6, 0}
	var parts []string
	for i := 0; i < len(order); {
		spans := spansText(h.Days[order[i]])
		j := i
		for j+1 < len(order) && spansText(h.Days[order[j+1]]) == spans {
			j++
		}
		if spans != "" {
			days := dayNames[order[i]]
			if j > i {
				days += "–" + dayNames[order[j]]
			}
			parts = append(parts, days+": "+spans)
		}
		i = j + 1
	}
	if len(parts) == 0 {
		return "chưa có giờ làm việc"
	}
	return strings.Join(parts, "; ")
}

func spansText(spans []Span) string {
	var s []string
	for _, sp := range spans {
		s = append(s, clock(sp.From)+"–"+clock(sp.To))
	}
	return strings.Join(s, ", ")
}

// ParseDay reads one day's spans as typed in the console: "07:30-11:30,
// 13:00-17:00" (empty: closed).
func ParseDay(text string) ([]Span, error) {
	var out []Span
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		part = strings.NewReplacer("–", "-", "—", "-", " ", "").Replace(part)
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("%q: expected HH:MM-HH:MM", part)
		}
		f, err1 := parseClock(from)
		t, err2 := parseClock(to)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%q: expected HH:MM-HH:MM", part)
		}
		out = append(out, Span{f, t})
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil {
		if _, err := fmt.Sscanf(s, "%dh%d", &h, &m); err != nil {
			if _, err := fmt.Sscanf(s, "%d", &h); err != nil {
				return 0, err
			}
		}
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return h*60 + m, nil
}

// DayText is one day's spans as the console shows them in its form.
func (h Hours) DayText(d int) string { return spansText(h.Days[d]) }

func decodeHours(s string) (Hours, error) {
	var h Hours
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return h, fmt.Errorf("office hours: %w", err)
	}
	return h, h.Validate()
}
