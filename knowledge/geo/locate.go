package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Result is what a pin resolves to.
type Result struct {
	// Code is the unit whose polygon contains the pin, "" if none does.
	Code string `json:"code"`
	// Near lists the other units whose border is within NearMetres of the
	// pin, nearest first: the pin may be on their side of the street. A pin
	// just outside the city can have Near units and no Code.
	Near []string `json:"near,omitempty"`
	// InsideHCMC reports whether a unit of the index contains the pin.
	InsideHCMC bool `json:"inside_hcmc"`
}

// Locate resolves a WGS 84 point. Impossible coordinates (NaN, infinite,
// out of range) give an empty Result.
func (ix *Index) Locate(lat, lon float64) Result {
	if !valid(lat, lon) {
		return Result{}
	}
	p := orb.Point{lon, lat}
	var res Result
	type hit struct {
		code string
		d    float64
	}
	var near []hit
	for i := range ix.units {
		u := &ix.units[i]
		if !u.padded.Contains(p) {
			continue
		}
		if res.Code == "" && u.tiles.contains(p, u.geom) {
			res.Code = u.code
			continue
		}
		// Units overlap by slivers at most, so a second unit holding the
		// pin has its border close by too.
		if d := u.distance(p); d <= NearMetres {
			near = append(near, hit{u.code, d})
		}
	}
	if len(near) > 0 {
		slices.SortStableFunc(near, func(a, b hit) int { return cmp.Compare(a.d, b.d) })
		res.Near = make([]string, len(near))
		for i, h := range near {
			res.Near[i] = h.code
		}
	}
	res.InsideHCMC = res.Code != ""
	return res
}

func valid(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) &&
		lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}
