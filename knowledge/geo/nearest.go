package geo

import (
	"cmp"
	"slices"

	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"

	"github.com/paulmach/orb"
)

// Nearby is a unit and how far a point is from its centroid.
type Nearby struct {
	Code   string
	Metres float64
}

// Centroid returns the area centroid of a unit's polygon (WGS 84); false
// for a code the index does not have.
func (ix *Index) Centroid(code string) (lat, lon float64, ok bool) {
	for i := range ix.units {
		if ix.units[i].code == code {
			c := ix.units[i].centroid
			return c.Lat(), c.Lon(), true
		}
	}
	return 0, 0, false
}

// Nearest returns the n units whose centroids are closest to a point
// (great-circle distance), nearest first. Impossible coordinates give none.
func (ix *Index) Nearest(lat, lon float64, n int) []Nearby {
	if !valid(lat, lon) || n <= 0 {
		return nil
	}
	p := orb.Point{lon, lat}
	out := make([]Nearby, len(ix.units))
	for i, u := range ix.units {
		out[i] = Nearby{Code: u.code, Metres: orbgeo.Distance(p, u.centroid)}
	}
	slices.SortStableFunc(out, func(a, b Nearby) int { return cmp.Compare(a.Metres, b.Metres) })
	return out[:min(n, len(out))]
}

// centroidOf is a unit's area centroid (lon, lat).
func centroidOf(mp orb.MultiPolygon) orb.Point {
	c, _ := planar.CentroidArea(mp)
	return c
}
