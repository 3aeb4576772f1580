package handoff

import (
	"testing"
	"time"
)

// at is a Vietnam local time on the week of Monday 30 Nov 2026.
func at(day, hour, min int) time.Time {
	return time.Date(2026, 11, 30+day, hour, min, 0, 0, zone)
}

func TestHoursOpenNextOpenAndWorkingDeadline(t *testing.T) {
	h := DefaultHours()
	tests := []struct {
		name     string
		t        time.Time
		open     bool
		next     time.Time
		due5min  time.Time
		dueLabel string
	}{
		{"Monday 08:00", at(0, 8, 0), true, at(0, 8, 0), at(0, 8, 5), "in hours"},
		{"Monday 11:28: the deadline runs over lunch", at(0, 11, 28), true, at(0, 11, 28), at(0, 13, 3), "lunch"},
		{"Monday 12:00 lunch", at(0, 12, 0), false, at(0, 13, 0), at(0, 13, 5), "after lunch"},
		{"Friday 18:00", at(4, 18, 0), false, at(5, 7, 30), at(5, 7, 35), "Saturday morning"},
		{"Saturday 12:00", at(5, 12, 0), false, at(7, 7, 30), at(7, 7, 35), "Monday"},
		{"Sunday 10:00", at(6, 10, 0), false, at(7, 7, 30), at(7, 7, 35), "Monday"},
		{"Monday 06:00 UTC instant", time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC), true, at(0, 8, 0), at(0, 8, 5), "zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.Open(tt.t); got != tt.open {
				t.Errorf("Open = %v, want %v", got, tt.open)
			}
			if got := h.NextOpen(tt.t); !got.Equal(tt.next) {
				t.Errorf("NextOpen = %v, want %v", got, tt.next)
			}
			if got := h.AddWorking(tt.t, 5*time.Minute); !got.Equal(tt.due5min) {
				t.Errorf("AddWorking(5 min) = %v, want %v (%s)", got, tt.due5min, tt.dueLabel)
			}
		})
	}
	if got, want := h.String(), "T2–T6: 07:30–11:30, 13:00–17:00; T7: 07:30–11:30"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	var none Hours
	if !none.NextOpen(at(0, 8, 0)).IsZero() || none.String() != "chưa có giờ làm việc" {
		t.Errorf("no hours: NextOpen %v, String %q", none.NextOpen(at(0, 8, 0)), none.String())
	}
}

func TestParseDay(t *testing.T) {
	tests := []struct {
		in      string
		want    []Span
		wantErr bool
	}{
		{"07:30-11:30, 13:00-17:00", []Span{{450, 690}, {780, 1020}}, false},
		{"7h30 – 11h30", []Span{{450, 690}}, false},
		{"", nil, false},
		{"8-17", []Span{{480, 1020}}, false},
		{"25:00-26:00", nil, true},
		{"sáng", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseDay(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDay(%q) err = %v", tt.in, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("ParseDay(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ParseDay(%q) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
	bad := DefaultHours()
	bad.Days[1] = []Span{{780, 1020}, {450, 690}}
	if bad.Validate() == nil {
		t.Error("spans out of order validated")
	}
}

func TestHolidaysCloseTheOffice(t *testing.T) {
	h := DefaultHours()
	h.Closed = map[string]bool{"2027-02-05": true, "2027-02-08": true, "2027-02-09": true}
	tests := []struct {
		name string
		t    time.Time
		open bool
		next time.Time
	}{
		{"30/4 is a fixed holiday", time.Date(2027, 4, 30, 9, 0, 0, 0, zone), false, time.Date(2027, 5, 3, 7, 30, 0, 0, zone)}, // 1/5 too, then the weekend
		{"2/9", time.Date(2026, 9, 2, 9, 0, 0, 0, zone), false, time.Date(2026, 9, 3, 7, 30, 0, 0, zone)},
		{"Tết entered in the console", time.Date(2027, 2, 5, 9, 0, 0, 0, zone), false, time.Date(2027, 2, 6, 7, 30, 0, 0, zone)}, // a Saturday
		{"an ordinary Thursday", time.Date(2027, 2, 4, 9, 0, 0, 0, zone), true, time.Date(2027, 2, 4, 9, 0, 0, 0, zone)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.Open(tt.t); got != tt.open {
				t.Errorf("Open = %v, want %v", got, tt.open)
			}
			if got := h.NextOpen(tt.t); !got.Equal(tt.next) {
				t.Errorf("NextOpen = %v, want %v", got, tt.next)
			}
		})
	}
	// An SLA started on Friday afternoon runs past the closed Monday and Tuesday.
	start := time.Date(2027, 2, 5, 16, 58, 0, 0, zone) // closed: counts from Saturday 07:30
	if got, want := h.AddWorking(start, 5*time.Minute), time.Date(2027, 2, 6, 7, 35, 0, 0, zone); !got.Equal(want) {
		t.Errorf("AddWorking over a holiday = %v, want %v", got, want)
	}
	if got, want := h.AddWorking(time.Date(2027, 2, 6, 11, 28, 0, 0, zone), 5*time.Minute), time.Date(2027, 2, 10, 7, 33, 0, 0, zone); !got.Equal(want) {
		t.Errorf("AddWorking over Sunday and two closed days = %v, want %v", got, want)
	}
}
