package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// chunkSegments is how many border segments one chunk holds. A lookup
// measures the distance only to the chunks whose padded bound holds the pin.
const chunkSegments = 32

// chunk is a run of consecutive border vertices of one ring.
type chunk struct {
	metres orb.LineString // on the unit's local plane
	padded orb.Bound      // in degrees, grown by NearMetres
}

// chunks cuts every ring (outer borders and holes) of mp into chunks.
func chunks(mp orb.MultiPolygon, lp localPlane) []chunk {
	var out []chunk
	for _, p := range mp {
		for _, r := range p {
			for i := 0; i+1 < len(r); i += chunkSegments {
				end := min(i+chunkSegments+1, len(r))
				deg := orb.LineString(r[i:end])
				m := make(orb.LineString, len(deg))
				for j, pt := range deg {
					m[j] = lp.point(pt)
				}
				out = append(out, chunk{metres: m, padded: lp.pad(deg.Bound(), NearMetres)})
			}
		}
	}
	return out
}

// distance is the distance in metres from p to the unit's nearest border,
// or +Inf when no border is within NearMetres (or so) of p.
func (u *unit) distance(p orb.Point) float64 {
	q := u.local.point(p)
	d := math.Inf(1)
	for i := range u.border {
		if u.border[i].padded.Contains(p) {
			d = min(d, planar.DistanceFrom(u.border[i].metres, q))
		}
	}
	return d
}
