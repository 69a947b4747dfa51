package sample

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"crossguard"
)

// Columns is the header WriteCSV writes: every column of the importer's
// seizure layout (importer/CSV.md), in the documented order.
var Columns = []string{
	"ref", "occurred_at", "country", "place_name", "place_locode", "lat", "lon", "office",
	"direction", "transport_mode", "conveyance", "detection_method", "concealment",
	"route_origin", "route_departure", "route_transit", "route_destination",
	"category", "hs", "description", "quantity", "unit", "value_amount", "value_currency",
	"identifiers", "distribution", "recipients", "tlp", "handling",
	"source_reliability", "info_accuracy", "narrative", "handling_conditions",
}

// WriteCSV writes the n seizures that Each makes as a CSV file in the
// importer's layout: one row per line of goods, the rows of one seizure
// sharing a ref and the seizure's own cells written on its first row only.
func WriteCSV(w io.Writer, n int, seed int64, now time.Time) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(Columns); err != nil {
		return fmt.Errorf("write sample csv: %w", err)
	}
	row := make([]string, len(Columns))
	i := 0
	err := Each(n, seed, now, func(s *crossguard.Seizure) error {
		i++
		for j, g := range s.Goods {
			clear(row)
			row[0] = fmt.Sprintf("S-%07d", i)
			if j == 0 {
				seizureCells(row, s)
			}
			goodsCells(row, g)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write sample csv: %w", err)
	}
	return nil
}

// seizureCells fills the cells of the seizure's own fields, indexed as in
// Columns.
func seizureCells(row []string, s *crossguard.Seizure) {
	row[1] = s.OccurredAt.UTC().Format(time.RFC3339)
	row[2] = s.Country
	row[3] = s.Place.Name
	row[4] = s.Place.LOCODE
	if s.Place.Lat != nil && s.Place.Lon != nil {
		row[5] = formatNumber(*s.Place.Lat)
		row[6] = formatNumber(*s.Place.Lon)
	}
	row[7] = s.Office
	row[8] = s.Direction
	row[9] = s.TransportMode
	row[10] = s.Conveyance
	row[11] = s.DetectionMethod
	row[12] = s.Concealment
	row[13] = s.Route.Origin
	row[14] = s.Route.Departure
	row[15] = strings.Join(s.Route.Transit, ";")
	row[16] = s.Route.Destination
	ids := make([]string, len(s.Identifiers))
	for i, id := range s.Identifiers {
		ids[i] = id.Type + ":" + id.Value
	}
	row[24] = strings.Join(ids, ";")
	row[25] = s.Distribution
	row[26] = strings.Join(s.Recipients, ";")
	row[27] = s.Marking.TLP
	row[28] = s.Marking.Handling
	row[29] = s.Marking.SourceReliability
	row[30] = s.Marking.InfoAccuracy
	row[31] = s.Narrative
	row[32] = s.Marking.Conditions
}

// goodsCells fills the cells of one line of goods.
func goodsCells(row []string, g crossguard.Goods) {
	row[17] = g.Category
	row[18] = g.HS
	row[19] = g.Description
	row[20] = formatNumber(g.Quantity)
	row[21] = g.Unit
	if g.Value != nil {
		row[22] = formatNumber(g.Value.Amount)
		row[23] = g.Value.Currency
	}
}

// formatNumber writes f in the shortest decimal form that reads back as
// exactly f, without an exponent.
func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
