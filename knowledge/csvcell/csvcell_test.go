package csvcell_test

import (
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/csvcell"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, out string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+84 28 3829 1234", "'+84 28 3829 1234"},
		{"-1+1", "'-1+1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"Đăng ký khai sinh", "Đăng ký khai sinh"},
		{"'quoted already", "'quoted already"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := csvcell.Escape(tt.in); got != tt.out {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.out)
		}
		if back := csvcell.Unescape(csvcell.Escape(tt.in)); back != tt.in {
			t.Errorf("Unescape(Escape(%q)) = %q", tt.in, back)
		}
	}
}
