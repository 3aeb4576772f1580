package geo

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"
)

// A unit's polygons can have thousands of vertices, and a point-in-polygon
// test walks them all. The tile tree cuts the unit (with orb/clip) into
// quadrants until each piece is small, so a lookup descends to the one tile
// holding the point and runs planar.MultiPolygonContains on a few dozen
// vertices.
const (
	tileMaxVertices = 256
	tileMaxDepth    = 12
)

type tile struct {
	bound orb.Bound
	kids  []*tile          // nil at a leaf; quadrants the unit misses are left out
	piece orb.MultiPolygon // the unit clipped to bound, at a leaf
}

func newTile(b orb.Bound, piece orb.MultiPolygon, depth int) *tile {
	t := &tile{bound: b}
	if depth >= tileMaxDepth || vertices(piece) <= tileMaxVertices {
		// clip's output shares its input's (larger) arrays: keep a compact copy
		// so a leaf does not pin its parent's whole geometry in memory.
		t.piece = piece.Clone()
		return t
	}
	c := b.Center()
	quads := []orb.Bound{
		{Min: b.Min, Max: c},
		{Min: orb.Point{c[0], b.Min[1]}, Max: orb.Point{b.Max[0], c[1]}},
		{Min: orb.Point{b.Min[0], c[1]}, Max: orb.Point{c[0], b.Max[1]}},
		{Min: c, Max: b.Max},
	}
	t.kids = make([]*tile, 0, len(quads))
	for _, q := range quads {
		// clip reuses its input's memory: hand it a copy.
		if sub := clip.MultiPolygon(q, piece.Clone()); len(sub) > 0 {
			t.kids = append(t.kids, newTile(q, sub, depth+1))
		}
	}
	return t
}

// contains reports whether p is inside the unit. all is the unit's whole
// geometry: a point exactly on a tile's edge is tested against it, because
// clipping leaves edges along the tile's sides that are not the unit's.
func (t *tile) contains(p orb.Point, all orb.MultiPolygon) bool {
	if !t.bound.Contains(p) {
		return false
	}
	for t.kids != nil {
		var next *tile
		for _, k := range t.kids {
			if k.bound.Contains(p) {
				next = k
				break
			}
		}
		if next == nil {
			return false
		}
		t = next
	}
	if onEdge(t.bound, p) {
		return planar.MultiPolygonContains(all, p)
	}
	return planar.MultiPolygonContains(t.piece, p)
}

func onEdge(b orb.Bound, p orb.Point) bool {
	return p[0] == b.Min[0] || p[0] == b.Max[0] || p[1] == b.Min[1] || p[1] == b.Max[1]
}

func vertices(mp orb.MultiPolygon) int {
	n := 0
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}
