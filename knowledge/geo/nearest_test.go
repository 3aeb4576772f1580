package geo

import (
	"math"
	"testing"
)

// Nearest lists units by the distance from a point to their centroids:
// a unit's own centroid is nearest to itself, distances grow, and an
// impossible point gets nothing.
func TestNearest(t *testing.T) {
	ix := newIndex(t)
	for _, code := range []string{"27154", "26740", "27628"} { // Bàn Cờ, Sài Gòn, Hiệp Phước
		lat, lon, ok := ix.Centroid(code)
		if !ok {
			t.Fatalf("no centroid for %s", code)
		}
		got := ix.Nearest(lat, lon, 3)
		if len(got) != 3 || got[0].Code != code || got[0].Metres > 1 {
			t.Errorf("Nearest(centroid of %s) = %+v, want %s first at 0 m", code, got, code)
		}
		for i := 1; i < len(got); i++ {
			if got[i].Metres < got[i-1].Metres || got[i].Code == code {
				t.Errorf("Nearest(centroid of %s) not in order: %+v", code, got)
			}
		}
	}
	// Bàn Cờ's centroid lies within Bàn Cờ; its neighbours are a few km away.
	lat, lon, _ := ix.Centroid("27154")
	if r := ix.Locate(lat, lon); r.Code != "27154" {
		t.Errorf("Bàn Cờ's centroid is in %q", r.Code)
	}
	if got := ix.Nearest(lat, lon, 2); got[1].Metres < 300 || got[1].Metres > 5000 {
		t.Errorf("second nearest of Bàn Cờ at %.0f m", got[1].Metres)
	}
	if _, _, ok := ix.Centroid("99999"); ok {
		t.Error("centroid of an unknown unit")
	}
	for _, bad := range [][2]float64{{math.NaN(), 106.7}, {91, 106.7}} {
		if got := ix.Nearest(bad[0], bad[1], 3); got != nil {
			t.Errorf("Nearest(%v) = %+v, want none", bad, got)
		}
	}
	if got := ix.Nearest(10.77, 106.7, 0); got != nil {
		t.Errorf("Nearest(n=0) = %+v", got)
	}
	if got := ix.Nearest(10.77, 106.7, 500); len(got) != 168 {
		t.Errorf("Nearest(n=500) gives %d units, want all 168", len(got))
	}
}
