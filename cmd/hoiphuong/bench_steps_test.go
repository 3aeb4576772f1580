package main

import (
	"maps"
	"strings"
	"testing"
)

func TestBenchSteps(t *testing.T) {
	for _, tc := range []struct {
		list string
		want map[string]bool
		err  string
	}{
		{"", nil, ""},
		{"webhook", map[string]bool{"webhook": true}, ""},
		{" api , webhook", map[string]bool{"api": true, "webhook": true}, ""},
		{"webhooks", nil, `"webhooks" is not a step`},
		{"api,", nil, `"" is not a step`},
	} {
		got, err := benchSteps(tc.list)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.list, err, tc.err)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("%q: %v, %v; want %v", tc.list, got, err, tc.want)
		}
	}
}
