package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// regionMap is the embedded map of the region, assets/map/region.json,
// made by internal/mapgen from Natural Earth's country boundaries.
type regionMap struct {
	Source                 string  `json:"source"`
	Lon0, Lon1, Lat0, Lat1 float64 `json:"-"`
	Width                  float64 `json:"width"`
	Height                 float64 `json:"height"`
	Countries              []struct {
		Code string `json:"code"`
		Name string `json:"name"`
		D    string `json:"d"`
	} `json:"countries"`
}

// UnmarshalJSON reads the frame's edges, whose JSON names are lower case.
func (m *regionMap) UnmarshalJSON(b []byte) error {
	type plain regionMap
	var aux struct {
		*plain
		Lon0 float64 `json:"lon0"`
		Lon1 float64 `json:"lon1"`
		Lat0 float64 `json:"lat0"`
		Lat1 float64 `json:"lat1"`
	}
	aux.plain = (*plain)(m)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	m.Lon0, m.Lon1, m.Lat0, m.Lat1 = aux.Lon0, aux.Lon1, aux.Lat0, aux.Lat1
	return nil
}

// loadRegion parses the embedded map once.
var loadRegion = sync.OnceValues(func() (*regionMap, error) {
	b, err := assets.ReadFile("assets/map/region.json")
	if err != nil {
		return nil, fmt.Errorf("read map: %w", err)
	}
	var m regionMap
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("parse map: %w", err)
	}
	if m.Width <= 0 || m.Height <= 0 || m.Lon1 <= m.Lon0 || m.Lat1 <= m.Lat0 {
		return nil, fmt.Errorf("map: bad frame")
	}
	return &m, nil
})

// project returns the map position of a latitude and longitude, and
// whether it lies inside the frame.
func (m *regionMap) project(lat, lon float64) (x, y float64, in bool) {
	kx := m.Width / (m.Lon1 - m.Lon0)
	ky := kx / math.Cos((m.Lat0+m.Lat1)/2*math.Pi/180)
	x, y = (lon-m.Lon0)*kx, (m.Lat1-lat)*ky
	return x, y, lon >= m.Lon0 && lon <= m.Lon1 && lat >= m.Lat0 && lat <= m.Lat1
}

// landCache holds the country outlines drawn once per language (their
// titles are the countries' names in it).
var landCache sync.Map // language code -> string

// land returns the SVG paths of the countries, named in tr's language.
func (s *server) land(tr *Translator, m *regionMap) string {
	if v, ok := landCache.Load(tr.Lang()); ok {
		return v.(string)
	}
	var b strings.Builder
	for _, c := range m.Countries {
		name := c.Name
		if c.Code != "" {
			name = s.countryName(tr, c.Code)
		}
		b.WriteString(`<path class="land" d="` + esc(c.D) + `"><title>` + esc(name) + `</title></path>`)
	}
	v, _ := landCache.LoadOrStore(tr.Lang(), b.String())
	return v.(string)
}

// maxRadius is the radius of the circle of the place with most seizures,
// in map units; the others' areas are in proportion.
const maxRadius = 24

// placeMap is the map of seizure places with its figures as a table.
type placeMap struct {
	SVG template.HTML
	// Places are the places with most seizures, for the table.
	Places []placeRow
	// Shown is how many places the map draws; Outside a note on the
	// places beyond its frame ("" when none).
	Shown   int
	Outside string
	// Broken is set when the embedded map could not be read.
	Broken bool
}

// placeRow is one place of the map's table.
type placeRow struct{ Place, Count string }

// place is one tally place: its position and count.
type place struct {
	lat, lon float64
	count    int64
}

// buildMap draws the countries and a circle per place, its area
// proportional to the place's count, largest first so that small circles
// stay on top.
func (s *server) buildMap(tr *Translator, places map[string]int64) placeMap {
	var pm placeMap
	m, err := loadRegion()
	if err != nil {
		s.log.Error("dashboard map", "err", err)
		pm.Broken = true
		return pm
	}
	var all []place
	for key, n := range places {
		la, lo, ok := strings.Cut(key, ",")
		lat, err1 := strconv.ParseFloat(la, 64)
		lon, err2 := strconv.ParseFloat(lo, 64)
		if !ok || err1 != nil || err2 != nil || n <= 0 {
			continue
		}
		all = append(all, place{lat, lon, n})
	}
	slices.SortFunc(all, func(a, b place) int {
		if a.count != b.count {
			return cmp.Compare(b.count, a.count)
		}
		if a.lat != b.lat {
			return cmpFloat(a.lat, b.lat)
		}
		return cmpFloat(a.lon, b.lon)
	})
	var max int64
	if len(all) > 0 {
		max = all[0].count
	}
	var b strings.Builder
	b.Grow(16384 + 120*len(all))
	b.WriteString(`<svg class="chart map" viewBox="0 0 ` + num(m.Width) + ` ` + num(m.Height) +
		`" role="img" aria-labelledby="map-title map-desc" direction="ltr">`)
	b.WriteString(`<title id="map-title">` + esc(tr.T("dashboard.map.heading")) + `</title>`)
	b.WriteString(`<desc id="map-desc">` + esc(tr.T("dashboard.map.desc")) + `</desc>`)
	b.WriteString(`<rect class="sea" width="` + num(m.Width) + `" height="` + num(m.Height) + `"/>`)
	b.WriteString(s.land(tr, m))
	// The titles of the circles are made from one formatted template,
	// as formatting two thousand messages would cost more than the rest
	// of the page. The frame lies north and east of the equator and
	// Greenwich (the generator's default), so the template's hemispheres
	// hold for every circle drawn.
	title := newMessageTemplate(tr.T("dashboard.map.place", tr.T("dashboard.map.coords",
		tr.T("dashboard.map.north", "\x00a"), tr.T("dashboard.map.east", "\x00b")), "\x00c"))
	number := intFormatter(tr)
	var outPlaces, outCount int64
	for _, p := range all {
		x, y, in := m.project(p.lat, p.lon)
		if !in {
			outPlaces++
			outCount += p.count
			continue
		}
		pm.Shown++
		r := maxRadius * math.Sqrt(float64(p.count)/float64(max))
		var t string
		if p.lat < 0 || p.lon < 0 {
			t = tr.T("dashboard.map.place", coords(tr, p.lat, p.lon), number(p.count))
		} else {
			t = title.fill(strconv.FormatFloat(p.lat, 'f', 1, 64), strconv.FormatFloat(p.lon, 'f', 1, 64), number(p.count))
		}
		b.WriteString(`<circle class="place" cx="` + num(x) + `" cy="` + num(y) + `" r="` + num(r) + `"><title>` +
			esc(t) + `</title></circle>`)
	}
	b.WriteString(`</svg>`)
	pm.SVG = svg(&b)
	for i, p := range all {
		if i == dashboardPlaces {
			break
		}
		pm.Places = append(pm.Places, placeRow{Place: coords(tr, p.lat, p.lon), Count: tr.Number(p.count)})
	}
	if outPlaces > 0 {
		pm.Outside = tr.T("dashboard.map.outside", tr.Number(outPlaces), tr.Number(outCount))
	}
	return pm
}

// coords writes a latitude and longitude to 0.1 degree with their
// hemispheres.
func coords(tr *Translator, lat, lon float64) string {
	ns, ew := "dashboard.map.north", "dashboard.map.east"
	if lat < 0 {
		ns, lat = "dashboard.map.south", -lat
	}
	if lon < 0 {
		ew, lon = "dashboard.map.west", -lon
	}
	return tr.T("dashboard.map.coords", tr.T(ns, strconv.FormatFloat(lat, 'f', 1, 64)), tr.T(ew, strconv.FormatFloat(lon, 'f', 1, 64)))
}

// cmpFloat orders two numbers.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// intFormatter returns a function writing integers as tr.Number does, but
// without the cost of the message printer for the non-negative ones when
// the language groups thousands of ASCII digits with one separator (as all
// three do).
func intFormatter(tr *Translator) func(int64) string {
	sample := tr.Number(1234567)
	inner := strings.TrimSuffix(strings.TrimPrefix(sample, "1"), "567")
	sep, _, ok := strings.Cut(inner, "234")
	if !ok || sample != "1"+sep+"234"+sep+"567" {
		return func(n int64) string { return tr.Number(n) }
	}
	return func(n int64) string {
		if n < 0 {
			return tr.Number(n)
		}
		s := strconv.FormatInt(n, 10)
		if len(s) > 3 {
			var b strings.Builder
			head := len(s) % 3
			if head == 0 {
				head = 3
			}
			b.WriteString(s[:head])
			for i := head; i < len(s); i += 3 {
				b.WriteString(sep)
				b.WriteString(s[i : i+3])
			}
			s = b.String()
		}
		return s
	}
}
