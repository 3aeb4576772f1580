package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// localPlane maps longitude/latitude near an origin onto a flat plane in
// metres (an equirectangular projection). Over one unit (tens of km at most)
// the error is far below the metres that matter at a border.
type localPlane struct {
	origin orb.Point
	kx, ky float64 // metres per degree of longitude and of latitude
}

func newLocalPlane(origin orb.Point) localPlane {
	phi := origin.Lat() * math.Pi / 180
	return localPlane{
		origin: origin,
		// Metres per degree on the WGS 84 ellipsoid (series expansion).
		kx: 111412.84*math.Cos(phi) - 93.5*math.Cos(3*phi) + 0.118*math.Cos(5*phi),
		ky: 111132.92 - 559.82*math.Cos(2*phi) + 1.175*math.Cos(4*phi) - 0.0023*math.Cos(6*phi),
	}
}

func (lp localPlane) point(p orb.Point) orb.Point {
	return orb.Point{(p[0] - lp.origin[0]) * lp.kx, (p[1] - lp.origin[1]) * lp.ky}
}

func (lp localPlane) polygon(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		ring := make(orb.Ring, len(r))
		for j, pt := range r {
			ring[j] = lp.point(pt)
		}
		out[i] = ring
	}
	return out
}

// pad grows a bound (in degrees) by m metres on every side, with a small
// margin so that a point exactly m metres away is kept.
func (lp localPlane) pad(b orb.Bound, m float64) orb.Bound {
	m *= 1.1
	dLon, dLat := m/lp.kx, m/lp.ky
	return orb.Bound{
		Min: orb.Point{b.Min[0] - dLon, b.Min[1] - dLat},
		Max: orb.Point{b.Max[0] + dLon, b.Max[1] + dLat},
	}
}
