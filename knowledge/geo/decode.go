package geo

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// feature is one unit as read from the GeoJSON.
type feature struct {
	code     string
	name     string
	geometry orb.MultiPolygon
}

// geoJSON is the subset of RFC 7946 the index reads. The coordinates decode
// straight into orb's types (orb.Point is [2]float64). orb/geojson would do
// the same, but it drags in the MongoDB BSON module for one Unmarshal.
type geoJSON struct {
	Type     string `json:"type"`
	Features []struct {
		ID         any `json:"id"`
		Properties struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"properties"`
		Geometry *struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

// decode parses a FeatureCollection and checks that every feature has a
// unique code and a usable (Multi)Polygon.
func decode(b []byte) ([]feature, error) {
	var fc geoJSON
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("decode GeoJSON: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("GeoJSON type %q, want FeatureCollection", fc.Type)
	}
	if len(fc.Features) == 0 {
		return nil, errors.New("GeoJSON has no features")
	}
	seen := make(map[string]bool, len(fc.Features))
	out := make([]feature, 0, len(fc.Features))
	for i, f := range fc.Features {
		code := f.Properties.Code
		if id, ok := f.ID.(string); ok && code == "" {
			code = id
		}
		if code == "" {
			return nil, fmt.Errorf("feature %d: no code", i)
		}
		if seen[code] {
			return nil, fmt.Errorf("feature %d: duplicate code %s", i, code)
		}
		seen[code] = true
		if f.Geometry == nil {
			return nil, fmt.Errorf("feature %s: no geometry", code)
		}
		mp, err := multiPolygon(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("feature %s: %w", code, err)
		}
		out = append(out, feature{code: code, name: f.Properties.Name, geometry: mp})
	}
	return out, nil
}

func multiPolygon(typ string, coords json.RawMessage) (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	switch typ {
	case "MultiPolygon":
		if err := json.Unmarshal(coords, &mp); err != nil {
			return nil, fmt.Errorf("MultiPolygon coordinates: %w", err)
		}
	case "Polygon":
		var p orb.Polygon
		if err := json.Unmarshal(coords, &p); err != nil {
			return nil, fmt.Errorf("Polygon coordinates: %w", err)
		}
		mp = orb.MultiPolygon{p}
	default:
		return nil, fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", typ)
	}
	if len(mp) == 0 {
		return nil, errors.New("empty geometry")
	}
	for i, p := range mp {
		if len(p) == 0 {
			return nil, fmt.Errorf("polygon %d has no rings", i)
		}
		for j, r := range p {
			if len(r) < 4 {
				return nil, fmt.Errorf("polygon %d ring %d has %d points, want at least 4", i, j, len(r))
			}
		}
	}
	return mp, nil
}
