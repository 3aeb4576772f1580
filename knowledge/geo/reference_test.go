package geo

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// TestLocateMatchesBruteForce compares Locate with a slow reference that
// tests every unit's whole geometry, at random points and at points a few
// metres from random border vertices.
func TestLocateMatchesBruteForce(t *testing.T) {
	ix := newIndex(t)
	features, err := decode(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var all orb.Bound
	for i, f := range features {
		if i == 0 {
			all = f.geometry.Bound()
		}
		all = all.Union(f.geometry.Bound())
	}
	var pins []orb.Point
	for range 2000 {
		pins = append(pins, orb.Point{
			all.Min[0] + rng.Float64()*(all.Max[0]-all.Min[0]),
			all.Min[1] + rng.Float64()*(all.Max[1]-all.Min[1]),
		})
	}
	for range 3000 {
		f := features[rng.IntN(len(features))]
		p := f.geometry[rng.IntN(len(f.geometry))]
		r := p[rng.IntN(len(p))]
		v := r[rng.IntN(len(r))]
		jitter := 40.0 / 111000 // about 40 m either way
		pins = append(pins, orb.Point{v[0] + (rng.Float64()*2-1)*jitter, v[1] + (rng.Float64()*2-1)*jitter})
	}
	metres := make([]orb.MultiPolygon, len(ix.units))
	for i, u := range ix.units {
		for _, poly := range u.geom {
			metres[i] = append(metres[i], u.local.polygon(poly))
		}
	}
	for _, p := range pins {
		got := ix.Locate(p.Lat(), p.Lon())
		want := bruteForce(ix, metres, p)
		slices.Sort(got.Near)
		if got.Code != want.Code || got.InsideHCMC != want.InsideHCMC || !slices.Equal(got.Near, want.Near) {
			t.Errorf("Locate(%v, %v) = %+v, brute force %+v", p.Lat(), p.Lon(), got, want)
		}
	}
}

// bruteForce is Locate without tiles or chunks (Near sorted by code). It
// skips units whose bound, grown by about 200 m, does not hold p.
func bruteForce(ix *Index, metres []orb.MultiPolygon, p orb.Point) Result {
	var res Result
	for i, u := range ix.units {
		if !u.bound.Pad(0.002).Contains(p) {
			continue
		}
		if res.Code == "" && planar.MultiPolygonContains(u.geom, p) {
			res.Code = u.code
			continue
		}
		if d := planar.DistanceFrom(metres[i], u.local.point(p)); d <= NearMetres {
			res.Near = append(res.Near, u.code)
		}
	}
	slices.Sort(res.Near)
	res.InsideHCMC = res.Code != ""
	return res
}

func BenchmarkNew(b *testing.B) {
	geo := seed.Geo()
	for b.Loop() {
		if _, err := New(geo); err != nil {
			b.Fatal(err)
		}
	}
}
