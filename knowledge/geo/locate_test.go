package geo

import (
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

func newIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := New(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestLocateKnownPins(t *testing.T) {
	ix := newIndex(t)
	tests := []struct {
		name     string
		lat, lon float64
		want     string
		inside   bool
	}{
		{"Hiệp Phước", 10.643218, 106.654269, "27628", true},
		{"Bà Rịa–Vũng Tàu coast", 10.469166, 107.150885, "26566", true},
		{"Củ Chi north", 11.021782, 106.555259, "27541", true},
		{"Phú Nhuận area", 10.787557, 106.669136, "27142", true},
		{"Vũng Tàu", 10.360904, 107.106795, "26526", true},
		{"District 4 area", 10.755201, 106.710436, "27259", true},
		{"District 4 west", 10.759221, 106.701266, "27265", true},
		{"District 11 area", 10.770637, 106.630132, "27028", true},
		{"Hanoi", 21.0285, 105.8542, "", false},
		{"South China Sea", 9.5, 109.5, "", false},
		{"NaN latitude", math.NaN(), 106.7, "", false},
		{"NaN longitude", 10.77, math.NaN(), "", false},
		{"latitude out of range", 91, 106.7, "", false},
		{"longitude out of range", 10.77, 181, "", false},
		{"infinite", math.Inf(1), math.Inf(-1), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Locate(tt.lat, tt.lon)
			if got.Code != tt.want || got.InsideHCMC != tt.inside {
				t.Errorf("Locate(%v, %v) = %+v, want code %q inside %v", tt.lat, tt.lon, got, tt.want, tt.inside)
			}
			if !tt.inside && len(got.Near) > 0 {
				t.Errorf("Locate(%v, %v): near %v, want none", tt.lat, tt.lon, got.Near)
			}
		})
	}
}

// TestLocateEveryUnit checks that a point inside each feature (and inside no
// other) resolves to that feature.
func TestLocateEveryUnit(t *testing.T) {
	ix := newIndex(t)
	features, err := decode(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	if len(features) != 168 {
		t.Fatalf("got %d features, want 168", len(features))
	}
	for i, f := range features {
		p, ok := interiorPoint(features, i)
		if !ok {
			t.Errorf("%s: found no point inside it alone", f.code)
			continue
		}
		got := ix.Locate(p.Lat(), p.Lon())
		if got.Code != f.code || !got.InsideHCMC {
			t.Errorf("%s: Locate(%v, %v) = %+v", f.code, p.Lat(), p.Lon(), got)
		}
	}
}

// interiorPoint returns orb's centroid of feature i when only that feature
// contains it, otherwise the first such point of ever finer grids over the
// feature's bound.
func interiorPoint(features []feature, i int) (orb.Point, bool) {
	alone := func(p orb.Point) bool {
		if !planar.MultiPolygonContains(features[i].geometry, p) {
			return false
		}
		for j, f := range features {
			if j != i && planar.MultiPolygonContains(f.geometry, p) {
				return false
			}
		}
		return true
	}
	c, _ := planar.CentroidArea(features[i].geometry)
	if alone(c) {
		return c, true
	}
	b := features[i].geometry.Bound()
	for _, n := range []int{8, 32, 128} {
		for x := 1; x < n; x++ {
			for y := 1; y < n; y++ {
				p := orb.Point{
					b.Min[0] + (b.Max[0]-b.Min[0])*float64(x)/float64(n),
					b.Min[1] + (b.Max[1]-b.Min[1])*float64(y)/float64(n),
				}
				if alone(p) {
					return p, true
				}
			}
		}
	}
	return orb.Point{}, false
}

func TestLocateNearBorder(t *testing.T) {
	ix := newIndex(t)
	features, err := decode(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	edges := sharedEdges(features, 40)
	if len(edges) < 10 {
		t.Fatalf("found %d shared edges, want at least 10", len(edges))
	}
	for _, e := range edges[:10] {
		lp := newLocalPlane(e.a)
		a, b := lp.point(e.a), lp.point(e.b)
		mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
		length := planar.Distance(a, b)
		normal := orb.Point{-(b[1] - a[1]) / length, (b[0] - a[0]) / length}
		var sides []string
		for _, s := range []float64{-3, 3} { // metres either side of the border
			m := orb.Point{mid[0] + s*normal[0], mid[1] + s*normal[1]}
			p := orb.Point{lp.origin[0] + m[0]/lp.kx, lp.origin[1] + m[1]/lp.ky}
			got := ix.Locate(p.Lat(), p.Lon())
			all := append([]string{got.Code}, got.Near...)
			if !slices.Contains(all, e.units[0]) || !slices.Contains(all, e.units[1]) {
				t.Errorf("border %v at %v: Locate = %+v, want both in code+near", e.units, p, got)
			}
			sides = append(sides, got.Code)
		}
		sort.Strings(sides)
		if !slices.Equal(sides, e.units[:]) {
			t.Errorf("border %v: the two sides resolve to %v", e.units, sides)
		}
	}
}

type sharedEdge struct {
	a, b  orb.Point
	units [2]string // sorted
}

// sharedEdges returns edges at least minMetres long that appear, with the
// same two vertices, in the outer rings of exactly two features.
func sharedEdges(features []feature, minMetres float64) []sharedEdge {
	type key [2]orb.Point
	owners := map[key][]string{}
	var order []key
	for _, f := range features {
		for _, p := range f.geometry {
			r := p[0]
			for i := 0; i+1 < len(r); i++ {
				k := key{r[i], r[i+1]}
				if k[1][0] < k[0][0] || (k[1][0] == k[0][0] && k[1][1] < k[0][1]) {
					k = key{k[1], k[0]}
				}
				if _, ok := owners[k]; !ok {
					order = append(order, k)
				}
				if !slices.Contains(owners[k], f.code) {
					owners[k] = append(owners[k], f.code)
				}
			}
		}
	}
	var out []sharedEdge
	for _, k := range order {
		o := owners[k]
		if len(o) != 2 {
			continue
		}
		lp := newLocalPlane(k[0])
		if planar.Distance(lp.point(k[0]), lp.point(k[1])) < minMetres {
			continue
		}
		u := [2]string{o[0], o[1]}
		if u[0] > u[1] {
			u[0], u[1] = u[1], u[0]
		}
		out = append(out, sharedEdge{a: k[0], b: k[1], units: u})
	}
	return out
}

func TestCodesMatchSeedUnits(t *testing.T) {
	ix := newIndex(t)
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, u := range kb.Units {
		if u.InHCMC() {
			want = append(want, u.Code)
		}
	}
	got := ix.Codes()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("GeoJSON codes differ from the seed's HCMC units:\n got %v\nwant %v", got, want)
	}
	if ix.Name("27028") == "" || ix.Name("nope") != "" {
		t.Errorf("Name: %q, %q", ix.Name("27028"), ix.Name("nope"))
	}
}

func TestNewRejectsBadGeoJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"not JSON", `{`},
		{"not a collection", `{"type":"Feature"}`},
		{"no features", `{"type":"FeatureCollection","features":[]}`},
		{"no code", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`},
		{"point", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`},
		{"short ring", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]}`},
		{"duplicate", `{"type":"FeatureCollection","features":[` +
			`{"type":"Feature","id":"1","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},` +
			`{"type":"Feature","id":"1","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New([]byte(tt.in)); err == nil {
				t.Errorf("New(%s) succeeded, want an error", tt.in)
			}
		})
	}
}

func BenchmarkLocate(b *testing.B) {
	ix := newIndex(b)
	pins := [][2]float64{
		{10.643218, 106.654269}, {10.469166, 107.150885}, {11.021782, 106.555259},
		{10.787557, 106.669136}, {10.360904, 107.106795}, {10.755201, 106.710436},
		{10.759221, 106.701266}, {10.770637, 106.630132}, {21.0285, 105.8542},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pins[i%len(pins)]
		ix.Locate(p[0], p[1])
		i++
	}
}

func TestShapes(t *testing.T) {
	ix := newIndex(t)
	shapes := ix.Shapes()
	if len(shapes) != 168 {
		t.Fatalf("%d shapes, want 168", len(shapes))
	}
	for _, s := range shapes {
		if s.Code == "" || s.Name == "" || len(s.Geometry) == 0 || ix.Name(s.Code) != s.Name {
			t.Errorf("shape %q %q with %d polygons", s.Code, s.Name, len(s.Geometry))
		}
	}
	shapes[0].Geometry[0][0][0][0] = 0 // a copy: the index is unchanged
	if again := ix.Shapes(); again[0].Geometry[0][0][0][0] == 0 {
		t.Error("Shapes hands out the index's own geometry")
	}
}
