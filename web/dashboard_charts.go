package web

import (
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"crossguard"
)

// The geometry of the charts, in SVG user units.
const (
	chartWidth   = 720
	monthlyH     = 300
	monthlyLeft  = 56  // room for the count axis
	monthlyTop   = 12  // room above the highest tick
	monthlyBelow = 44  // room for the month labels
	barsWidth    = 520 // a horizontal bar chart, drawn in half a row
	barRowH      = 26  // one row of a horizontal bar chart
	barLabelW    = 230 // room for the labels of a horizontal bar chart
	barValueW    = 60  // room after the longest bar for its count
)

// monthlyChart is the stacked bar chart of seizures per month by category,
// with its legend and its figures as a table.
type monthlyChart struct {
	SVG    template.HTML
	Legend []legendItem
	// Months are the table's column heads; Rows its categories, each
	// with one count per month; Totals the per-month totals.
	Months []string
	Rows   []monthlyRow
	Totals []string
}

// legendItem is one category of the legend: its colour class and name.
type legendItem struct{ Class, Label string }

// monthlyRow is one category's counts per month.
type monthlyRow struct {
	Label  string
	Counts []string
}

// bar is one bar of a horizontal bar chart.
type bar struct {
	Label string
	Count int64
}

// barChart is a horizontal bar chart and its figures as a table.
type barChart struct {
	ID, Heading, Desc string
	SVG               template.HTML
	Rows              []barRow
}

// barRow is one line of a bar chart's table.
type barRow struct{ Label, Count string }

// esc escapes text for SVG inside HTML.
func esc(s string) string { return template.HTMLEscapeString(s) }

// num writes a coordinate with at most one decimal.
func num(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }

// niceScale returns the top of a count axis at or above max and its step,
// a 1, 2 or 5 times a power of ten, for about four gridlines.
func niceScale(max int64) (top, step int64) {
	if max <= 0 {
		return 4, 1
	}
	raw := float64(max) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 1
	for _, m := range []float64{1, 2, 5, 10} {
		if s := m * mag; s >= raw {
			step = int64(math.Max(1, s))
			break
		}
	}
	top = (max + step - 1) / step * step
	return top, step
}

// categoryOrder returns the categories counted in perMonth, in the
// order of crossguard.Categories, unknown ones last by name.
func categoryOrder(perMonth map[[2]string]int64) []string {
	seen := make(map[string]bool)
	for k, c := range perMonth {
		if c > 0 {
			seen[k[1]] = true
		}
	}
	var out []string
	for _, c := range crossguard.Categories {
		if seen[c] {
			out = append(out, c)
			delete(seen, c)
		}
	}
	var rest []string
	for c := range seen {
		rest = append(rest, c)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// buildMonthly draws one stacked bar per month, a segment per category,
// heights proportional to counts, with a count axis and month labels.
func buildMonthly(tr *Translator, months []string, perMonth map[[2]string]int64) monthlyChart {
	number := intFormatter(tr)
	cats := categoryOrder(perMonth)
	labels := make(map[string]string, len(cats))
	for _, c := range cats {
		labels[c] = tr.T("category." + c)
	}
	var ch monthlyChart
	totals := make([]int64, len(months))
	var max int64
	for i, m := range months {
		for _, c := range cats {
			totals[i] += perMonth[[2]string{m, c}]
		}
		max = maxInt(max, totals[i])
	}
	for _, m := range months {
		ch.Months = append(ch.Months, monthName(tr, m))
	}
	for i := range months {
		ch.Totals = append(ch.Totals, number(totals[i]))
	}
	for _, c := range cats {
		label := labels[c]
		ch.Legend = append(ch.Legend, legendItem{Class: "c-" + c, Label: label})
		row := monthlyRow{Label: label}
		for _, m := range months {
			row.Counts = append(row.Counts, number(perMonth[[2]string{m, c}]))
		}
		ch.Rows = append(ch.Rows, row)
	}
	top, step := niceScale(max)
	plotH := float64(monthlyH - monthlyTop - monthlyBelow)
	plotW := float64(chartWidth - monthlyLeft - 8)
	base := float64(monthlyTop) + plotH
	var b strings.Builder
	b.Grow(4096 + 200*len(months)*len(cats))
	b.WriteString(`<svg class="chart monthly" viewBox="0 0 ` + strconv.Itoa(chartWidth) + ` ` + strconv.Itoa(monthlyH) +
		`" role="img" aria-labelledby="monthly-title monthly-desc" direction="ltr">`)
	b.WriteString(`<title id="monthly-title">` + esc(tr.T("dashboard.monthly.heading")) + `</title>`)
	b.WriteString(`<desc id="monthly-desc">` + esc(tr.T("dashboard.monthly.desc")) + `</desc>`)
	for v := int64(0); v <= top; v += step {
		y := base - float64(v)/float64(top)*plotH
		b.WriteString(`<line class="grid" x1="` + strconv.Itoa(monthlyLeft) + `" x2="` + strconv.Itoa(chartWidth-8) + `" y1="` + num(y) + `" y2="` + num(y) + `"/>`)
		b.WriteString(`<text class="tick" x="` + strconv.Itoa(monthlyLeft-6) + `" y="` + num(y+4) + `" text-anchor="end">` + esc(number(v)) + `</text>`)
	}
	// The bars' titles are made from one formatted template (see buildMap).
	title := newMessageTemplate(tr.T("dashboard.monthly.bar", "\x00a", "\x00b", "\x00c"))
	slot := plotW / float64(max1(len(months)))
	for i, m := range months {
		x := float64(monthlyLeft) + float64(i)*slot + slot*0.15
		w := slot * 0.7
		cum := 0.0
		for _, c := range cats {
			n := perMonth[[2]string{m, c}]
			if n <= 0 {
				continue
			}
			h := float64(n) / float64(top) * plotH
			y := base - cum - h
			cum += h
			b.WriteString(`<rect class="bar c-` + esc(c) + `" x="` + num(x) + `" y="` + num(y) + `" width="` + num(w) + `" height="` + num(h) + `">`)
			b.WriteString(`<title>` + esc(title.fill(labels[c], ch.Months[i], number(n))) + `</title></rect>`)
		}
		cx := num(x + w/2)
		y, mon, _ := parseMonth(m)
		b.WriteString(`<text class="month" x="` + cx + `" y="` + num(base+16) + `" text-anchor="middle">` + esc(tr.T("dashboard.mon."+strconv.Itoa(mon))) + `</text>`)
		if i == 0 || mon == 1 {
			b.WriteString(`<text class="year" x="` + cx + `" y="` + num(base+32) + `" text-anchor="middle">` + strconv.Itoa(y) + `</text>`)
		}
	}
	b.WriteString(`<line class="axis" x1="` + strconv.Itoa(monthlyLeft) + `" x2="` + strconv.Itoa(chartWidth-8) + `" y1="` + num(base) + `" y2="` + num(base) + `"/>`)
	b.WriteString(`</svg>`)
	ch.SVG = svg(&b)
	return ch
}

// buildBars draws a horizontal bar per entry, lengths proportional to
// counts, labels right-aligned before the bars and counts after them.
func buildBars(tr *Translator, id, heading, desc string, bars []bar) barChart {
	number := intFormatter(tr)
	ch := barChart{ID: id, Heading: heading, Desc: desc}
	if len(bars) == 0 {
		return ch
	}
	var max int64
	for _, x := range bars {
		max = maxInt(max, x.Count)
		ch.Rows = append(ch.Rows, barRow{Label: x.Label, Count: number(x.Count)})
	}
	h := len(bars)*barRowH + 8
	span := float64(barsWidth - barLabelW - barValueW)
	var b strings.Builder
	b.Grow(1024 + 300*len(bars))
	b.WriteString(`<svg class="chart bars" viewBox="0 0 ` + strconv.Itoa(barsWidth) + ` ` + strconv.Itoa(h) +
		`" role="img" aria-labelledby="` + id + `-title ` + id + `-desc" direction="ltr">`)
	b.WriteString(`<title id="` + id + `-title">` + esc(heading) + `</title><desc id="` + id + `-desc">` + esc(desc) + `</desc>`)
	for i, x := range bars {
		y := float64(4 + i*barRowH)
		w := float64(x.Count) / float64(max) * span
		b.WriteString(`<text class="label" x="` + strconv.Itoa(barLabelW-8) + `" y="` + num(y+17) + `" text-anchor="end">` + esc(x.Label) + `</text>`)
		b.WriteString(`<rect class="hbar" x="` + strconv.Itoa(barLabelW) + `" y="` + num(y+4) + `" width="` + num(w) + `" height="18">`)
		b.WriteString(`<title>` + esc(x.Label) + `: ` + esc(number(x.Count)) + `</title></rect>`)
		b.WriteString(`<text class="value" x="` + num(float64(barLabelW)+w+6) + `" y="` + num(y+17) + `" text-anchor="start">` + esc(number(x.Count)) + `</text>`)
	}
	b.WriteString(`</svg>`)
	ch.SVG = svg(&b)
	return ch
}

// maxInt returns the larger of a and b.
func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// max1 returns n, or 1 when n is zero.
func max1(n int) int {
	if n == 0 {
		return 1
	}
	return n
}

// messageTemplate is a message formatted once with placeholder arguments
// ("\x00a", "\x00b", ...), to be filled many times without the cost of
// the message printer.
type messageTemplate struct {
	lits  []string // the text around the placeholders, len(slots)+1
	slots []int    // the argument of each placeholder
}

// newMessageTemplate splits a message formatted with placeholders.
func newMessageTemplate(formatted string) messageTemplate {
	var t messageTemplate
	for {
		i := strings.IndexByte(formatted, 0)
		if i < 0 || i+1 >= len(formatted) {
			t.lits = append(t.lits, formatted)
			return t
		}
		t.lits = append(t.lits, formatted[:i])
		t.slots = append(t.slots, int(formatted[i+1]-'a'))
		formatted = formatted[i+2:]
	}
}

// fill returns the message with args in place of the placeholders.
func (t messageTemplate) fill(args ...string) string {
	var b strings.Builder
	for i, slot := range t.slots {
		b.WriteString(t.lits[i])
		if slot >= 0 && slot < len(args) {
			b.WriteString(args[slot])
		}
	}
	b.WriteString(t.lits[len(t.lits)-1])
	return b.String()
}
