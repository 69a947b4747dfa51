// Command mapgen makes the dashboard's regional map, web/assets/map/region.json,
// from Natural Earth's admin-0 country boundaries (public domain) as the
// world-atlas npm package ships them in TopoJSON.
//
// It decodes the quantized, delta-encoded arcs, keeps the countries that
// meet the frame around the corridor (longitude 60–92, latitude 23–45 by
// default), projects them equirectangularly with the horizontal scale
// shrunk by the cosine of the middle latitude, simplifies each shared arc
// once (Douglas–Peucker, so neighbours still meet), clips the rings to the
// frame and writes each country as SVG path data in whole map units.
//
// To regenerate, from the repository root:
//
//	cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
//	go run ./internal/mapgen /tmp/package/countries-50m.json
//
// and update web/assets/map/README.md if the package version changed.
// Flags move the frame, change the size or the simplification, or write
// elsewhere (-out).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// region is the file the dashboard reads: where the data came from, the
// frame and its projection, and the country outlines.
type region struct {
	Source    string     `json:"source"`
	Lon0      float64    `json:"lon0"`
	Lon1      float64    `json:"lon1"`
	Lat0      float64    `json:"lat0"`
	Lat1      float64    `json:"lat1"`
	Width     float64    `json:"width"`
	Height    float64    `json:"height"`
	Countries []*country `json:"countries"`
}

// country is one outline: its ISO 3166-1 alpha-2 code (empty for areas
// without one, such as Siachen Glacier), its Natural Earth name and its
// SVG path data.
type country struct {
	Code string `json:"code,omitempty"`
	Name string `json:"name"`
	D    string `json:"d"`
}

// alpha2 maps the ISO 3166-1 numeric ids of the countries in and around
// the corridor to their alpha-2 codes. A country meeting the frame whose id
// is missing here stops the generator, so that a wider frame is noticed.
var alpha2 = map[string]string{
	"004": "AF", "031": "AZ", "050": "BD", "064": "BT", "104": "MM",
	"144": "LK", "156": "CN", "356": "IN", "364": "IR", "398": "KZ",
	"417": "KG", "462": "MV", "496": "MN", "512": "OM", "524": "NP",
	"586": "PK", "643": "RU", "762": "TJ", "784": "AE", "795": "TM",
	"860": "UZ",
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mapgen:", err)
		os.Exit(1)
	}
}

// run parses the flags and writes the map.
func run(args []string) error {
	fs := flag.NewFlagSet("mapgen", flag.ContinueOnError)
	fr := frame{}
	fs.Float64Var(&fr.Lon0, "lon0", 60, "western edge, degrees east")
	fs.Float64Var(&fr.Lon1, "lon1", 92, "eastern edge, degrees east")
	fs.Float64Var(&fr.Lat0, "lat0", 23, "southern edge, degrees north")
	fs.Float64Var(&fr.Lat1, "lat1", 45, "northern edge, degrees north")
	fs.Float64Var(&fr.Width, "width", 1000, "map width in units")
	tol := fs.Float64("tolerance", 0.4, "simplification tolerance in map units")
	minArea := fs.Float64("min-area", 4, "drop rings smaller than this many square units")
	out := fs.String("out", "web/assets/map/region.json", "output file")
	source := fs.String("source", "", "source note (default: from the package.json beside the input)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: mapgen [flags] countries-50m.json")
	}
	in := fs.Arg(0)
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	if *source == "" {
		*source = sourceNote(in)
	}
	reg, err := build(b, fr, *tol, *minArea)
	if err != nil {
		return err
	}
	reg.Source = *source
	enc, err := json.Marshal(reg)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, append(enc, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d countries, %d bytes\n", *out, len(reg.Countries), len(enc)+1)
	return nil
}

// sourceNote names the data and the package version found in the
// package.json beside the input file.
func sourceNote(in string) string {
	note := "Natural Earth admin-0 countries (public domain), via the world-atlas package"
	b, err := os.ReadFile(filepath.Join(filepath.Dir(in), "package.json"))
	if err != nil {
		return note + ", " + filepath.Base(in)
	}
	var pkg struct{ Name, Version string }
	if json.Unmarshal(b, &pkg) == nil && pkg.Version != "" {
		note = fmt.Sprintf("Natural Earth admin-0 countries (public domain), via the %s package %s", pkg.Name, pkg.Version)
	}
	return note + ", " + filepath.Base(in)
}

// build makes the map of frame fr from the TopoJSON document b.
func build(b []byte, fr frame, tol, minArea float64) (*region, error) {
	topo, err := parseTopology(b)
	if err != nil {
		return nil, err
	}
	feats, err := topo.features("countries")
	if err != nil {
		return nil, err
	}
	geo := topo.decodeArcs()
	proj := make([][]point, len(geo))
	for i, arc := range geo {
		p := make([]point, len(arc))
		for k, q := range arc {
			p[k] = fr.project(q)
		}
		proj[i] = simplify(p, tol)
	}
	h := fr.height()
	// Rings are clipped a little outside the frame, so that the runs
	// clipping leaves along the cut fall beyond the visible map.
	const margin = 6
	reg := &region{Lon0: fr.Lon0, Lon1: fr.Lon1, Lat0: fr.Lat0, Lat1: fr.Lat1, Width: fr.Width, Height: round1(h)}
	for _, f := range feats {
		var all []point
		for _, poly := range f.Polygons {
			for _, r := range poly {
				pts, err := ring(geo, r)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", f.Name, err)
				}
				all = append(all, pts...)
			}
		}
		if !fr.intersects(all) {
			continue
		}
		var sb strings.Builder
		for _, poly := range f.Polygons {
			for _, r := range poly {
				pts, err := ring(proj, r)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", f.Name, err)
				}
				pts = clip(pts, -margin, -margin, fr.Width+margin, h+margin)
				if len(pts) < 3 || area(pts) < minArea {
					continue
				}
				appendPath(&sb, pts)
			}
		}
		if sb.Len() == 0 {
			continue
		}
		c := &country{Name: f.Name, D: sb.String()}
		if f.ID != "" {
			code, ok := alpha2[f.ID]
			if !ok {
				return nil, fmt.Errorf("%s (id %s) meets the frame but has no alpha-2 code in the table", f.Name, f.ID)
			}
			c.Code = code
		}
		reg.Countries = append(reg.Countries, c)
	}
	sort.Slice(reg.Countries, func(i, j int) bool { return reg.Countries[i].Name < reg.Countries[j].Name })
	return reg, nil
}

// round1 rounds x to one decimal place.
func round1(x float64) float64 {
	return float64(int(x*10+0.5)) / 10
}
