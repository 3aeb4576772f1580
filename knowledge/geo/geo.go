// Package geo owns the location resolver: it holds the polygons of the 168
// new Ho Chi Minh City units in memory and tells which unit contains a pin
// (a WGS 84 point a citizen shared), and which other units' borders are
// within a few metres of it, so that the bot can say the pin is near a border.
//
// The polygons load once from the GeoJSON of knowledge/seed (seed.Geo()).
// A lookup first keeps the units whose bounding box (grown by NearMetres)
// holds the pin, then tests containment with orb/planar on the longitude/
// latitude rings, cut by orb/clip into small tiles so that a test touches a
// few dozen vertices, and measures border distances on a local planar
// approximation in metres around each unit.
package geo

import (
	"fmt"

	"github.com/paulmach/orb"
)

// NearMetres is how close (in metres) another unit's border must be for a
// pin to count as near that unit.
const NearMetres = 30.0

// Index answers location lookups. It is immutable after New and safe for
// concurrent use.
type Index struct {
	units []unit
}

// unit is one feature of the GeoJSON: a new unit and its geometry.
type unit struct {
	code   string
	name   string
	geom   orb.MultiPolygon // longitude, latitude
	bound  orb.Bound        // of geom
	padded orb.Bound        // bound grown by NearMetres: candidates for Near
	tiles  *tile            // for containment
	border []chunk          // for distances
	local  localPlane
	// centroid is the area centroid (lon, lat): where a unit is, for
	// distances to it when nothing more precise is known.
	centroid orb.Point
}

// New builds an Index from a GeoJSON FeatureCollection whose features carry
// the unit code in properties.code (or the feature id) and a Polygon or
// MultiPolygon geometry.
func New(geojson []byte) (*Index, error) {
	features, err := decode(geojson)
	if err != nil {
		return nil, fmt.Errorf("geo: %w", err)
	}
	ix := &Index{units: make([]unit, 0, len(features))}
	for _, f := range features {
		f.geometry = f.geometry.Clone() // drop the decoder's spare capacity
		b := f.geometry.Bound()
		lp := newLocalPlane(b.Center())
		ix.units = append(ix.units, unit{
			code:     f.code,
			name:     f.name,
			geom:     f.geometry,
			bound:    b,
			padded:   lp.pad(b, NearMetres),
			tiles:    newTile(b, f.geometry, 0),
			border:   chunks(f.geometry, lp),
			local:    lp,
			centroid: centroidOf(f.geometry),
		})
	}
	return ix, nil
}

// Codes returns the unit codes of the index in the GeoJSON's order.
func (ix *Index) Codes() []string {
	out := make([]string, len(ix.units))
	for i, u := range ix.units {
		out[i] = u.code
	}
	return out
}

// Name returns the unit's name as written in the GeoJSON ("" if unknown).
func (ix *Index) Name(code string) string {
	for _, u := range ix.units {
		if u.code == code {
			return u.name
		}
	}
	return ""
}

// Shape is a unit's boundary, for drawing it.
type Shape struct {
	Code, Name string
	Geometry   orb.MultiPolygon // longitude, latitude
}

// Shapes returns every unit's boundary in the GeoJSON's order; the
// geometries are copies the caller may change.
func (ix *Index) Shapes() []Shape {
	out := make([]Shape, len(ix.units))
	for i, u := range ix.units {
		out[i] = Shape{Code: u.code, Name: u.name, Geometry: u.geom.Clone()}
	}
	return out
}
