package main

import (
	"math"
	"strconv"
	"strings"
)

// frame is the region drawn, in degrees, and the size of the map in its
// units: an equirectangular projection whose horizontal scale is shrunk
// by the cosine of the middle latitude, so that shapes near it keep their
// proportions.
type frame struct {
	Lon0, Lon1, Lat0, Lat1 float64
	Width                  float64
}

// scale returns the map units per degree of longitude and of latitude.
func (f frame) scale() (kx, ky float64) {
	kx = f.Width / (f.Lon1 - f.Lon0)
	ky = kx / math.Cos((f.Lat0+f.Lat1)/2*math.Pi/180)
	return kx, ky
}

// height returns the height of the map in its units.
func (f frame) height() float64 {
	_, ky := f.scale()
	return (f.Lat1 - f.Lat0) * ky
}

// project maps a longitude and latitude to map units, x to the right and
// y down from the north-west corner.
func (f frame) project(p point) point {
	kx, ky := f.scale()
	return point{(p.X - f.Lon0) * kx, (f.Lat1 - p.Y) * ky}
}

// intersects reports whether the bounding box of pts (degrees) meets the
// frame.
func (f frame) intersects(pts []point) bool {
	if len(pts) == 0 {
		return false
	}
	minX, minY, maxX, maxY := pts[0].X, pts[0].Y, pts[0].X, pts[0].Y
	for _, p := range pts[1:] {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	return maxX >= f.Lon0 && minX <= f.Lon1 && maxY >= f.Lat0 && minY <= f.Lat1
}

// simplify reduces a line to the positions Douglas–Peucker keeps within
// tolerance tol; the end points always stay, so arcs shared by two
// countries still meet.
func simplify(pts []point, tol float64) []point {
	if len(pts) < 3 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	var walk func(a, b int)
	walk = func(a, b int) {
		best, at := 0.0, -1
		for i := a + 1; i < b; i++ {
			if d := segmentDistance(pts[i], pts[a], pts[b]); d > best {
				best, at = d, i
			}
		}
		if at >= 0 && best > tol {
			keep[at] = true
			walk(a, at)
			walk(at, b)
		}
	}
	walk(0, len(pts)-1)
	out := make([]point, 0, len(pts)/4+2)
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// segmentDistance returns the distance from p to the segment ab.
func segmentDistance(p, a, b point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.X-a.X, p.Y-a.Y)
	}
	t := ((p.X-a.X)*dx + (p.Y-a.Y)*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.X-(a.X+t*dx), p.Y-(a.Y+t*dy))
}

// clip cuts a closed ring to the rectangle [x0, x1] × [y0, y1]
// (Sutherland–Hodgman). Parts outside become runs along the rectangle's
// edges, which the generator places beyond the visible map.
func clip(ring []point, x0, y0, x1, y1 float64) []point {
	edges := []struct {
		inside func(point) bool
		cross  func(a, b point) point
	}{
		{func(p point) bool { return p.X >= x0 }, func(a, b point) point { return atX(a, b, x0) }},
		{func(p point) bool { return p.X <= x1 }, func(a, b point) point { return atX(a, b, x1) }},
		{func(p point) bool { return p.Y >= y0 }, func(a, b point) point { return atY(a, b, y0) }},
		{func(p point) bool { return p.Y <= y1 }, func(a, b point) point { return atY(a, b, y1) }},
	}
	out := ring
	for _, e := range edges {
		if len(out) == 0 {
			return nil
		}
		in := out
		out = nil
		prev := in[len(in)-1]
		for _, cur := range in {
			switch {
			case e.inside(cur) && !e.inside(prev):
				out = append(out, e.cross(prev, cur), cur)
			case e.inside(cur):
				out = append(out, cur)
			case e.inside(prev):
				out = append(out, e.cross(prev, cur))
			}
			prev = cur
		}
	}
	return out
}

// atX returns where segment ab crosses the vertical line x.
func atX(a, b point, x float64) point {
	t := (x - a.X) / (b.X - a.X)
	return point{x, a.Y + t*(b.Y-a.Y)}
}

// atY returns where segment ab crosses the horizontal line y.
func atY(a, b point, y float64) point {
	t := (y - a.Y) / (b.Y - a.Y)
	return point{a.X + t*(b.X-a.X), y}
}

// area returns the absolute area of a closed ring.
func area(ring []point) float64 {
	var s float64
	for i := range ring {
		a, b := ring[i], ring[(i+1)%len(ring)]
		s += a.X*b.Y - b.X*a.Y
	}
	return math.Abs(s) / 2
}

// appendPath writes ring as SVG path data rounded to whole units: an
// absolute move, relative lines, and a close. Positions that round onto
// the previous one are dropped; a ring left with fewer than three
// positions writes nothing.
func appendPath(sb *strings.Builder, ring []point) {
	r := make([][2]int, 0, len(ring))
	for _, p := range ring {
		q := [2]int{int(math.Round(p.X)), int(math.Round(p.Y))}
		if len(r) > 0 && r[len(r)-1] == q {
			continue
		}
		r = append(r, q)
	}
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	if len(r) < 3 {
		return
	}
	sb.WriteString("M")
	sb.WriteString(strconv.Itoa(r[0][0]))
	sb.WriteString(" ")
	sb.WriteString(strconv.Itoa(r[0][1]))
	sb.WriteString("l")
	for i := 1; i < len(r); i++ {
		for k, v := range []int{r[i][0] - r[i-1][0], r[i][1] - r[i-1][1]} {
			if (i > 1 || k > 0) && v >= 0 {
				sb.WriteString(" ")
			}
			sb.WriteString(strconv.Itoa(v))
		}
	}
	sb.WriteString("z")
}
