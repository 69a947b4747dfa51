package main

import (
	"encoding/json"
	"fmt"
)

// topology is the part of a TopoJSON document the generator reads: the
// shared arcs, the optional quantization transform and the named objects.
type topology struct {
	Type      string             `json:"type"`
	Transform *transform         `json:"transform"`
	Arcs      [][][]float64      `json:"arcs"`
	Objects   map[string]*object `json:"objects"`
}

// transform maps quantized integer positions back to longitude and
// latitude.
type transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

// object is a TopoJSON geometry or geometry collection. Arcs holds the arc
// indexes of a Polygon ([ring][arc]) or MultiPolygon ([polygon][ring][arc]),
// left raw until the type is known.
type object struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties map[string]any  `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []*object       `json:"geometries"`
}

// point is a position: longitude and latitude after decoding, projected
// map units after projection.
type point struct{ X, Y float64 }

// feature is one country of the collection: its ISO 3166-1 numeric id (as
// in the file, possibly empty), its name, and its polygons, each a list of
// rings, each a list of arc indexes (negative ones reversed, ~i).
type feature struct {
	ID, Name string
	Polygons [][][]int
}

// parseTopology reads a TopoJSON document.
func parseTopology(b []byte) (*topology, error) {
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("parse topojson: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("parse topojson: type %q, want Topology", t.Type)
	}
	return &t, nil
}

// decodeArcs returns the arcs as absolute longitude and latitude. With a
// transform the arcs are quantized and delta-encoded: each position after
// the first of an arc is an offset from the previous one, and positions
// are integers to scale and translate.
func (t *topology) decodeArcs() [][]point {
	out := make([][]point, len(t.Arcs))
	for i, arc := range t.Arcs {
		pts := make([]point, 0, len(arc))
		var x, y float64
		for _, p := range arc {
			if len(p) < 2 {
				continue
			}
			if t.Transform == nil {
				pts = append(pts, point{p[0], p[1]})
				continue
			}
			x += p[0]
			y += p[1]
			pts = append(pts, point{
				x*t.Transform.Scale[0] + t.Transform.Translate[0],
				y*t.Transform.Scale[1] + t.Transform.Translate[1],
			})
		}
		out[i] = pts
	}
	return out
}

// features returns the polygons and multipolygons of the geometry
// collection name; other geometry types are skipped.
func (t *topology) features(name string) ([]*feature, error) {
	obj, ok := t.Objects[name]
	if !ok {
		return nil, fmt.Errorf("topojson: no object %q", name)
	}
	var out []*feature
	for _, g := range obj.Geometries {
		f := &feature{}
		if len(g.ID) > 0 && string(g.ID) != "null" {
			var s string
			if err := json.Unmarshal(g.ID, &s); err != nil {
				var n json.Number
				if err := json.Unmarshal(g.ID, &n); err != nil {
					return nil, fmt.Errorf("topojson: geometry id %s: %w", g.ID, err)
				}
				s = n.String()
			}
			f.ID = s
		}
		if n, ok := g.Properties["name"].(string); ok {
			f.Name = n
		}
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, fmt.Errorf("topojson: polygon %s: %w", f.Name, err)
			}
			f.Polygons = [][][]int{rings}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &f.Polygons); err != nil {
				return nil, fmt.Errorf("topojson: multipolygon %s: %w", f.Name, err)
			}
		default:
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// ring joins arcs (indexes into arcs; ~i is arc i reversed) into one
// closed ring. Consecutive arcs share their joining position, which is
// kept once.
func ring(arcs [][]point, idx []int) ([]point, error) {
	var out []point
	for _, a := range idx {
		rev := a < 0
		if rev {
			a = ^a
		}
		if a >= len(arcs) {
			return nil, fmt.Errorf("topojson: arc %d of %d", a, len(arcs))
		}
		pts := arcs[a]
		for k := range pts {
			p := pts[k]
			if rev {
				p = pts[len(pts)-1-k]
			}
			if k == 0 && len(out) > 0 {
				continue
			}
			out = append(out, p)
		}
	}
	return out, nil
}
