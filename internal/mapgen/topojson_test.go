package main

import (
	"math"
	"strings"
	"testing"
)

// tinyTopology is two unit squares side by side sharing one arc, quantized
// with scale 0.5 and translate (60, 30), in delta-encoded arcs:
// arc 0 is the shared edge x=61 from (61,30) to (61,31); arc 1 the rest
// of the western square; arc 2 the rest of the eastern one.
const tinyTopology = `{"type":"Topology",
"transform":{"scale":[0.5,0.5],"translate":[60,30]},
"objects":{"countries":{"type":"GeometryCollection","geometries":[
 {"type":"Polygon","id":"586","properties":{"name":"West"},"arcs":[[0,1]]},
 {"type":"MultiPolygon","id":"156","properties":{"name":"East"},"arcs":[[[-1,2]]]},
 {"type":null,"properties":{"name":"Nothing"}}
]}},
"arcs":[
 [[2,0],[0,2]],
 [[2,2],[-2,0],[0,-2],[2,0]],
 [[2,0],[2,0],[0,2],[-2,0]]
]}`

func TestDecodeArcsUndoesQuantizationAndDeltas(t *testing.T) {
	topo, err := parseTopology([]byte(tinyTopology))
	if err != nil {
		t.Fatal(err)
	}
	arcs := topo.decodeArcs()
	want := [][]point{
		{{61, 30}, {61, 31}},
		{{61, 31}, {60, 31}, {60, 30}, {61, 30}},
		{{61, 30}, {62, 30}, {62, 31}, {61, 31}},
	}
	if len(arcs) != len(want) {
		t.Fatalf("%d arcs, want %d", len(arcs), len(want))
	}
	for i := range want {
		if !samePoints(arcs[i], want[i]) {
			t.Errorf("arc %d = %v, want %v", i, arcs[i], want[i])
		}
	}
}

func TestFeaturesAndRingsJoinSharedArcs(t *testing.T) {
	topo, err := parseTopology([]byte(tinyTopology))
	if err != nil {
		t.Fatal(err)
	}
	feats, err := topo.features("countries")
	if err != nil {
		t.Fatal(err)
	}
	if len(feats) != 2 || feats[0].Name != "West" || feats[0].ID != "586" || feats[1].Name != "East" {
		t.Fatalf("features %+v %+v, want West (586) and East; the null geometry skipped", feats[0], feats[1])
	}
	arcs := topo.decodeArcs()
	west, err := ring(arcs, feats[0].Polygons[0][0])
	if err != nil {
		t.Fatal(err)
	}
	if want := []point{{61, 30}, {61, 31}, {60, 31}, {60, 30}, {61, 30}}; !samePoints(west, want) {
		t.Errorf("west ring = %v, want %v", west, want)
	}
	east, err := ring(arcs, feats[1].Polygons[0][0])
	if err != nil {
		t.Fatal(err)
	}
	// ~0 is arc 0 reversed: down the shared edge, then around the east.
	if want := []point{{61, 31}, {61, 30}, {62, 30}, {62, 31}, {61, 31}}; !samePoints(east, want) {
		t.Errorf("east ring = %v, want %v", east, want)
	}
	if _, err := ring(arcs, []int{7}); err == nil {
		t.Error("a ring of a missing arc did not fail")
	}
}

func TestBuildProjectsClipsAndNamesCountries(t *testing.T) {
	fr := frame{Lon0: 60, Lon1: 61.5, Lat0: 30, Lat1: 31, Width: 150}
	reg, err := build([]byte(tinyTopology), fr, 0.1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Countries) != 2 {
		t.Fatalf("%d countries, want 2", len(reg.Countries))
	}
	east, west := reg.Countries[0], reg.Countries[1]
	if west.Code != "PK" || east.Code != "CN" {
		t.Errorf("codes %q %q, want PK and CN", west.Code, east.Code)
	}
	kx, ky := fr.scale()
	if kx != 100 || math.Abs(ky-100/math.Cos(30.5*math.Pi/180)) > 1e-9 {
		t.Errorf("scale %v %v", kx, ky)
	}
	// West: (61,30) projects to (100, ky), the first position of its ring.
	if !strings.HasPrefix(west.D, "M100 116l") || !strings.HasSuffix(west.D, "z") {
		t.Errorf("west path %q", west.D)
	}
	// East is cut at x = 150 + the margin.
	if !strings.Contains(east.D, "56") {
		t.Errorf("east path %q is not clipped at 156", east.D)
	}
}

func TestSimplifyKeepsEndsAndCorners(t *testing.T) {
	line := []point{{0, 0}, {1, 0.01}, {2, 0}, {2, 1}, {2, 2.02}, {2, 3}}
	got := simplify(line, 0.1)
	want := []point{{0, 0}, {2, 0}, {2, 3}}
	if !samePoints(got, want) {
		t.Errorf("simplify = %v, want %v", got, want)
	}
}

// samePoints compares positions to a millionth of a unit.
func samePoints(a, b []point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i].X-b[i].X) > 1e-6 || math.Abs(a[i].Y-b[i].Y) > 1e-6 {
			return false
		}
	}
	return true
}
