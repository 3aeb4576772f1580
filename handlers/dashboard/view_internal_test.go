package dashboard

import "testing"

// TestUnbroken: a wait breaks between its parts, never inside one.
func TestUnbroken(t *testing.T) {
	for in, want := range map[string]string{"1 giờ 51 phút": "1\u00a0giờ 51\u00a0phút", "2 giờ": "2\u00a0giờ", "—": "—", "40 giây": "40\u00a0giây", "1 ngày 3 giờ": "1\u00a0ngày 3\u00a0giờ"} {
		if got := unbroken(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
