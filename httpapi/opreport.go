package httpapi

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"crossguard/node"
)

// Formats of an operation's report: the API's ?format= and the command
// line's --format take the same names.
const (
	ReportJSON = "json"
	ReportCSV  = "csv"
	ReportText = "text"
)

// ReportFormats lists the formats an operation's report comes in.
var ReportFormats = []string{ReportJSON, ReportCSV, ReportText}

// reportColumns are the columns of the CSV report. Each row belongs to a
// section (totals, agency, day, category) named in the first column and
// fills the columns that apply to it; the others stay empty.
var reportColumns = []string{"section", "key", "warnings", "warnings_sent", "warnings_received",
	"feedback", "feedback_given", "feedback_received", "answered", "hits", "seizures",
	"feedback_rate", "hit_rate", "median_hours_to_feedback", "mean_hours_to_feedback", "unit", "quantity"}

// OperationReportCSV renders a report as one flat CSV file with a header
// row: a totals row keyed by the operation's id, a row per agency, per
// day (YYYY-MM-DD) and per category and unit of the seized goods, in the
// report's order, so that the file is the same on every participant's
// node.
func OperationReportCSV(r *node.OperationReport) []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(reportColumns)
	row := func(cells map[string]string) {
		rec := make([]string, len(reportColumns))
		for i, c := range reportColumns {
			rec[i] = cells[c]
		}
		cw.Write(rec)
	}
	n := strconv.Itoa
	row(map[string]string{"section": "totals", "key": r.Operation, "warnings": n(r.Warnings), "feedback": n(r.Feedback),
		"answered": n(r.Answered), "hits": n(r.Hits), "seizures": n(r.Seizures),
		"feedback_rate": decimal(r.FeedbackRate), "hit_rate": decimal(r.HitRate),
		"median_hours_to_feedback": decimal(r.MedianHoursToFeedback), "mean_hours_to_feedback": decimal(r.MeanHoursToFeedback)})
	for _, a := range r.Agencies {
		row(map[string]string{"section": "agency", "key": a.Agency, "warnings_sent": n(a.WarningsSent), "warnings_received": n(a.WarningsReceived),
			"feedback_given": n(a.FeedbackGiven), "feedback_received": n(a.FeedbackReceived), "hits": n(a.Hits)})
	}
	for _, d := range r.Days {
		row(map[string]string{"section": "day", "key": d.Date, "warnings": n(d.Warnings), "feedback": n(d.Feedback), "hits": n(d.Hits)})
	}
	for _, c := range r.Categories {
		if len(c.Quantities) == 0 {
			row(map[string]string{"section": "category", "key": c.Category, "seizures": n(c.Seizures)})
		}
		for _, q := range c.Quantities {
			row(map[string]string{"section": "category", "key": c.Category, "seizures": n(c.Seizures), "unit": q.Unit, "quantity": decimal(q.Amount)})
		}
	}
	cw.Flush()
	return b.Bytes()
}

// OperationReportText renders a report as a readable summary: the
// operation, the totals, and tables per agency, per day and per category
// of the seized goods.
func OperationReportText(r *node.OperationReport) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Operation %s (%s)\n", r.Name, r.Operation)
	fmt.Fprintf(&b, "Participants: %s\n", strings.Join(r.Participants, ", "))
	fmt.Fprintf(&b, "Period: %s to %s\n\n", r.StartsAt.UTC().Format(textTime), r.EndsAt.UTC().Format(textTime))
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Warnings:\t%d\n", r.Warnings)
	fmt.Fprintf(tw, "Feedback:\t%d, answering %d of %d warnings (feedback rate %s)\n", r.Feedback, r.Answered, r.Warnings, percent(r.FeedbackRate))
	fmt.Fprintf(tw, "Hits:\t%d (hit rate %s)\n", r.Hits, percent(r.HitRate))
	fmt.Fprintf(tw, "Seizures:\t%d\n", r.Seizures)
	if r.Answered > 0 {
		fmt.Fprintf(tw, "Time to feedback:\tmedian %s h, mean %s h\n", decimal(r.MedianHoursToFeedback), decimal(r.MeanHoursToFeedback))
	}
	tw.Flush()
	table(&b, "By agency", "AGENCY\tWARNINGS SENT\tWARNINGS RECEIVED\tFEEDBACK GIVEN\tFEEDBACK RECEIVED\tHITS", len(r.Agencies), func(w io.Writer, i int) {
		a := r.Agencies[i]
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\n", a.Agency, a.WarningsSent, a.WarningsReceived, a.FeedbackGiven, a.FeedbackReceived, a.Hits)
	})
	table(&b, "By day (UTC)", "DAY\tWARNINGS\tFEEDBACK\tHITS", len(r.Days), func(w io.Writer, i int) {
		d := r.Days[i]
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\n", d.Date, d.Warnings, d.Feedback, d.Hits)
	})
	table(&b, "Seized goods by category", "CATEGORY\tSEIZURES\tQUANTITIES", len(r.Categories), func(w io.Writer, i int) {
		c := r.Categories[i]
		qs := make([]string, len(c.Quantities))
		for j, q := range c.Quantities {
			qs[j] = decimal(q.Amount) + " " + q.Unit
		}
		fmt.Fprintf(w, "%s\t%d\t%s\n", c.Category, c.Seizures, strings.Join(qs, ", "))
	})
	return b.Bytes()
}

// textTime is how the text report writes the operation's period.
const textTime = "2006-01-02 15:04 MST"

// table writes a titled table of n rows, or "none" when n is 0.
func table(b *bytes.Buffer, title, header string, n int, row func(w io.Writer, i int)) {
	fmt.Fprintf(b, "\n%s:\n", title)
	if n == 0 {
		b.WriteString("  none\n")
		return
	}
	tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  %s\n", header)
	for i := range n {
		io.WriteString(tw, "  ")
		row(tw, i)
	}
	tw.Flush()
}

// decimal writes f without trailing zeros.
func decimal(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// percent writes a rate between 0 and 1 as a percentage with one decimal.
func percent(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// reportFilename is the file name a report is offered under.
func reportFilename(r *node.OperationReport, ext string) string {
	return "operation-" + r.Operation + "-report." + ext
}
