package chat

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

func TestMessageRequestValidate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	s := func(v string) *string { return &v }
	tests := []struct {
		name     string
		req      messageRequest
		wantCode string // "" = valid
	}{
		{"text", messageRequest{Text: s("phuong 1")}, ""},
		{"nil text", messageRequest{}, "empty_text"},
		{"blank text", messageRequest{Text: s(" \u00a0\t")}, "empty_text"},
		{"limit", messageRequest{Text: s(strings.Repeat("đ", 10))}, ""},
		{"over limit", messageRequest{Text: s(strings.Repeat("đ", 11))}, "text_too_long"},
		{"NaN lat", messageRequest{Lat: f(math.NaN()), Lon: f(106)}, "invalid_location"},
		{"NaN lon", messageRequest{Lat: f(10), Lon: f(math.NaN())}, "invalid_location"},
		{"Inf lon", messageRequest{Lat: f(10), Lon: f(math.Inf(1))}, "invalid_location"},
		{"edge pin", messageRequest{Lat: f(90), Lon: f(-180)}, ""},
		{"text and pin", messageRequest{Text: s("a"), Lat: f(10), Lon: f(106)}, "text_and_location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.req.Validate(10)
			var apiErr *jsonapi.Error
			switch {
			case tt.wantCode == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.wantCode != "" && (!errors.As(err, &apiErr) || apiErr.Code != tt.wantCode):
				t.Errorf("Validate = %v, want code %s", err, tt.wantCode)
			}
		})
	}
}

func TestIsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json":                    true,
		"application/json; charset=utf-8":     true,
		"Application/JSON; charset=\"UTF-8\"": true,
		"application/json; charset=latin1":    false,
		"application/json; foo=bar":           false,
		"text/json":                           false,
		"":                                    false,
		"application/jsonx":                   false,
	} {
		if got := isJSON(ct); got != want {
			t.Errorf("isJSON(%q) = %v, want %v", ct, got, want)
		}
	}
}
