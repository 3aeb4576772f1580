package dashboard

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/simplify"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
)

// The map's drawing: its width in SVG units (the height follows the
// city's shape), how far a simplified border may stray from the true one
// (SVG units: about a pixel at the map's usual size), and how an offshore
// unit (Côn Đảo, 150 km out at sea) is drawn in a corner box, smaller.
const (
	mapWidth      = 600.0
	mapMargin     = 6.0
	mapTolerance  = 0.7
	offshoreGap   = 0.5 // degrees between a unit's box and every other's
	offshoreScale = 0.6
	centreScale   = 4.0
)

// centre is the old inner districts (Quận 1, 3, 4, 5, 10, Phú Nhuận,
// Bình Thạnh …), whose wards are a few pixels wide at the city's scale:
// the map draws them again, centreScale times larger, in its top-right
// corner, which the city's shape leaves empty.
var centre = orb.Bound{Min: orb.Point{106.615, 10.728}, Max: orb.Point{106.758, 10.832}}

// unitMap is the units' outlines drawn once at start: SVG path data per
// unit code, in a Width × Height box.
type unitMap struct {
	Width, Height int
	Shapes        []mapShape
	// Inset frames the offshore units, drawn away from their true place.
	Inset *mapRect
	// Zoom frames the centre drawn larger (ZoomShapes, clipped to it);
	// ZoomArea is where the centre is on the map.
	Zoom, ZoomArea *mapRect
	ZoomShapes     []mapShape
}

// mapShape is one unit's outline.
type mapShape struct {
	Code, Name string
	D          string // SVG path data
}

type mapRect struct{ X, Y, W, H float64 }

// newUnitMap projects the shapes (longitude scaled by the cosine of the
// mean latitude), simplifies each border to mapTolerance and writes SVG
// paths with one decimal. Units far offshore go, scaled down, into a box
// in the map's bottom-left corner.
func newUnitMap(shapes []geo.Shape) *unitMap {
	if len(shapes) == 0 {
		return nil
	}
	bounds := make([]orb.Bound, len(shapes))
	for i, s := range shapes {
		bounds[i] = s.Geometry.Bound()
	}
	offshore := make([]bool, len(shapes))
	var main, off orb.Bound
	first, firstOff := true, true
	for i, b := range bounds {
		offshore[i] = isolated(i, bounds)
		switch {
		case offshore[i] && firstOff:
			off, firstOff = b, false
		case offshore[i]:
			off = off.Union(b)
		case first:
			main, first = b, false
		default:
			main = main.Union(b)
		}
	}
	if first { // every unit offshore: draw them as they are
		main, firstOff = off, true
		clear(offshore)
	}
	kx := math.Cos((main.Min.Lat() + main.Max.Lat()) / 2 * math.Pi / 180)
	scale := (mapWidth - 2*mapMargin) / ((main.Max.Lon() - main.Min.Lon()) * kx)
	height := (main.Max.Lat()-main.Min.Lat())*scale + 2*mapMargin
	project := func(p orb.Point) orb.Point {
		return orb.Point{mapMargin + (p.Lon()-main.Min.Lon())*kx*scale, mapMargin + (main.Max.Lat()-p.Lat())*scale}
	}
	m := &unitMap{Width: int(mapWidth), Height: int(math.Ceil(height))}
	var insetProject func(orb.Point) orb.Point
	if !firstOff {
		s := scale * offshoreScale
		w, h := (off.Max.Lon()-off.Min.Lon())*kx*s, (off.Max.Lat()-off.Min.Lat())*s
		m.Inset = &mapRect{X: mapMargin, Y: height - mapMargin - h - 8, W: w + 8, H: h + 8}
		insetProject = func(p orb.Point) orb.Point {
			return orb.Point{m.Inset.X + 4 + (p.Lon()-off.Min.Lon())*kx*s, m.Inset.Y + 4 + (off.Max.Lat()-p.Lat())*s}
		}
	}
	for i, s := range shapes {
		proj := project
		if offshore[i] {
			proj = insetProject
		}
		m.Shapes = append(m.Shapes, mapShape{Code: s.Code, Name: s.Name, D: pathData(s.Geometry, proj)})
	}
	m.zoom(shapes, main, project, kx*scale*centreScale, scale*centreScale)
	return m
}

// zoom draws the units inside centre again, sx, sy units a degree, in the
// map's top-right corner, when the centre lies within the map.
func (m *unitMap) zoom(shapes []geo.Shape, main orb.Bound, project func(orb.Point) orb.Point, sx, sy float64) {
	if !main.Contains(centre.Min) || !main.Contains(centre.Max) {
		return
	}
	lo, hi := project(orb.Point{centre.Min.Lon(), centre.Max.Lat()}), project(orb.Point{centre.Max.Lon(), centre.Min.Lat()})
	m.ZoomArea = &mapRect{X: lo.X(), Y: lo.Y(), W: hi.X() - lo.X(), H: hi.Y() - lo.Y()}
	w, h := (centre.Max.Lon()-centre.Min.Lon())*sx, (centre.Max.Lat()-centre.Min.Lat())*sy
	m.Zoom = &mapRect{X: mapWidth - mapMargin - w, Y: mapMargin + 12, W: w, H: h}
	zp := func(p orb.Point) orb.Point {
		return orb.Point{m.Zoom.X + (p.Lon()-centre.Min.Lon())*sx, m.Zoom.Y + (centre.Max.Lat()-p.Lat())*sy}
	}
	for _, s := range shapes {
		if !s.Geometry.Bound().Intersects(centre) {
			continue
		}
		part := clip.MultiPolygon(centre, s.Geometry.Clone())
		if len(part) == 0 {
			continue
		}
		if d := pathData(part, zp); d != "" {
			m.ZoomShapes = append(m.ZoomShapes, mapShape{Code: s.Code, Name: s.Name, D: d})
		}
	}
}

// isolated reports whether bound i is offshoreGap degrees or more from
// every other bound.
func isolated(i int, bounds []orb.Bound) bool {
	grown := bounds[i].Pad(offshoreGap)
	for j, b := range bounds {
		if j != i && grown.Intersects(b) {
			return false
		}
	}
	return len(bounds) > 1
}

// pathData projects, simplifies and writes a multipolygon as SVG path
// data; specks under a unit wide and tall are dropped unless nothing else
// is left.
func pathData(mp orb.MultiPolygon, project func(orb.Point) orb.Point) string {
	var polys orb.MultiPolygon
	for _, poly := range mp {
		var out orb.Polygon
		for _, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				r[k] = project(p)
			}
			r = simplify.DouglasPeucker(mapTolerance).Ring(r)
			if len(r) >= 4 {
				out = append(out, r)
			}
		}
		if len(out) > 0 {
			polys = append(polys, out)
		}
	}
	var b strings.Builder
	for _, poly := range polys {
		if bb := poly.Bound(); bb.Max.X()-bb.Min.X() < 1 && bb.Max.Y()-bb.Min.Y() < 1 && len(polys) > 1 {
			continue
		}
		for _, ring := range poly {
			for k, p := range ring[:len(ring)-1] {
				if k == 0 {
					b.WriteByte('M')
				} else {
					b.WriteByte('L')
				}
				b.WriteString(coord(p.X()))
				b.WriteByte(' ')
				b.WriteString(coord(p.Y()))
			}
			b.WriteByte('Z')
		}
	}
	return b.String()
}

// coord writes an SVG coordinate with at most one decimal.
func coord(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// mapView is the map as one render shows it: each unit's outline filled
// by its load (conversations in the window), outlined red when it broke
// the SLA, with a title (hover, or tap through the page's script) giving
// its figures.
type mapView struct {
	Width, Height  int
	Inset          *mapRect
	Zoom, ZoomArea *mapRect
	Units          []mapUnit
	ZoomUnits      []mapUnit // the centre, larger
	// Paths and ZoomPaths are Units and ZoomUnits as SVG, written here
	// rather than by the template: 235 paths through the template's
	// escapers were a third of the page's rendering time.
	Paths, ZoomPaths template.HTML
	Legend           []legendItem
	Partial          bool // the viewer sees only some units (the rest are grey)
}

type mapUnit struct {
	Code, D, Class, Title string
}

type legendItem struct{ Class, Label string }

// mapLevels is how many shades the load has besides zero.
const mapLevels = 4

func newMapView(m *unitMap, db handoff.Dashboard) *mapView {
	if m == nil {
		return nil
	}
	byCode := make(map[string]handoff.DashboardRow, len(db.Rows))
	top := 0
	for _, r := range db.Rows {
		byCode[r.UnitCode] = r
		top = max(top, r.Conversations)
	}
	bounds := levelBounds(top)
	v := &mapView{Width: m.Width, Height: m.Height, Inset: m.Inset, Zoom: m.Zoom, ZoomArea: m.ZoomArea, Legend: legend(bounds)}
	unit := func(s mapShape) mapUnit {
		u := mapUnit{Code: s.Code, D: s.D, Class: "out", Title: s.Name + ": ngoài phạm vi bạn được xem"}
		r, ok := byCode[s.Code]
		if !ok {
			v.Partial = true
			return u
		}
		u.Class = "l" + strconv.Itoa(level(r.Conversations, bounds))
		if r.Breaches > 0 {
			u.Class += " breach"
		}
		u.Title = fmt.Sprintf("%s: %d hội thoại, %d đang chờ, %d quá hạn SLA, %d câu chưa trả lời được",
			r.UnitName, r.Conversations, r.Queued, r.Breaches, r.UnresolvedCount)
		return u
	}
	for _, s := range m.Shapes {
		v.Units = append(v.Units, unit(s))
	}
	for _, s := range m.ZoomShapes {
		v.ZoomUnits = append(v.ZoomUnits, unit(s))
	}
	v.Paths, v.ZoomPaths = paths(v.Units), paths(v.ZoomUnits)
	return v
}

// paths writes the units as SVG paths with their titles. Class, path data
// and code are ours (a fixed set of classes, numbers, digits); the title
// holds names and is escaped.
func paths(units []mapUnit) template.HTML {
	var b strings.Builder
	for _, u := range units {
		b.WriteString(`<path class="`)
		b.WriteString(template.HTMLEscapeString(u.Class))
		b.WriteString(`" d="`)
		b.WriteString(template.HTMLEscapeString(u.D))
		b.WriteString(`" data-code="`)
		b.WriteString(template.HTMLEscapeString(u.Code))
		b.WriteString(`"><title>`)
		b.WriteString(template.HTMLEscapeString(u.Title))
		b.WriteString("</title></path>\n")
	}
	return template.HTML(b.String()) // every part escaped above
}

// levelBounds splits 1…top into mapLevels shades: bounds[k] is the
// largest count of shade k+1.
func levelBounds(top int) []int {
	if top == 0 {
		return nil
	}
	b := make([]int, mapLevels)
	for k := range b {
		b[k] = (top*(k+1) + mapLevels - 1) / mapLevels
	}
	return b
}

// level is a count's shade: 0 for none, else 1…mapLevels.
func level(n int, bounds []int) int {
	if n == 0 {
		return 0
	}
	for k, b := range bounds {
		if n <= b {
			return k + 1
		}
	}
	return len(bounds)
}

func legend(bounds []int) []legendItem {
	out := []legendItem{{Class: "l0", Label: "0"}}
	low := 1
	for k, b := range bounds {
		if b < low {
			continue // an empty shade (few chats)
		}
		label := strconv.Itoa(low)
		if b > low {
			label += "–" + strconv.Itoa(b)
		}
		out = append(out, legendItem{Class: "l" + strconv.Itoa(k+1), Label: label})
		low = b + 1
	}
	return out
}
