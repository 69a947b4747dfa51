package storetest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"crossguard"
)

// declarationColumns maps the headers of the customs declaration files
// to the Code field each fills.
var declarationColumns = map[string]func(*crossguard.Declaration) *crossguard.Code{
	"Declaration ID":              func(d *crossguard.Declaration) *crossguard.Code { return &d.DeclarationID },
	"Office ID":                   func(d *crossguard.Declaration) *crossguard.Code { return &d.OfficeID },
	"Process Type":                func(d *crossguard.Declaration) *crossguard.Code { return &d.ProcessType },
	"Import Type":                 func(d *crossguard.Declaration) *crossguard.Code { return &d.ImportType },
	"Import Use":                  func(d *crossguard.Declaration) *crossguard.Code { return &d.ImportUse },
	"Payment Type":                func(d *crossguard.Declaration) *crossguard.Code { return &d.PaymentType },
	"Mode of Transport":           func(d *crossguard.Declaration) *crossguard.Code { return &d.ModeOfTransport },
	"Declarant ID":                func(d *crossguard.Declaration) *crossguard.Code { return &d.DeclarantID },
	"Importer ID":                 func(d *crossguard.Declaration) *crossguard.Code { return &d.ImporterID },
	"Seller ID":                   func(d *crossguard.Declaration) *crossguard.Code { return &d.SellerID },
	"Courier ID":                  func(d *crossguard.Declaration) *crossguard.Code { return &d.CourierID },
	"HS6 Code":                    func(d *crossguard.Declaration) *crossguard.Code { return &d.HS6Code },
	"Country of Departure":        func(d *crossguard.Declaration) *crossguard.Code { return &d.CountryOfDeparture },
	"Country of Origin":           func(d *crossguard.Declaration) *crossguard.Code { return &d.CountryOfOrigin },
	"Tax Type":                    func(d *crossguard.Declaration) *crossguard.Code { return &d.TaxType },
	"Country of Origin Indicator": func(d *crossguard.Declaration) *crossguard.Code { return &d.CountryOfOriginIndicator },
}

// ReadDeclarationsCSV reads a labelled customs declaration file (such as
// testdata/customs-declarations/train.csv) into entries received at at,
// each with the inspection its Fraud and Critical Fraud columns give. It
// is the benchmarks' source of real declarations, not an importer: it
// checks nothing but the numbers.
func ReadDeclarationsCSV(path string, at time.Time) ([]*crossguard.DeclarationEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read declarations: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read declarations %s: header: %w", path, err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[h] = i
	}
	for _, h := range []string{"Date", "Tax Rate", "Net Mass", "Item Price", "Fraud", "Critical Fraud"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("read declarations %s: no %q column", path, h)
		}
	}
	var out []*crossguard.DeclarationEntry
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("read declarations %s: %w", path, err)
		}
		e, err := declarationRow(col, rec, at)
		if err != nil {
			return nil, fmt.Errorf("read declarations %s line %d: %w", path, line, err)
		}
		out = append(out, e)
	}
}

// declarationRow turns one row into an entry with its label.
func declarationRow(col map[string]int, rec []string, at time.Time) (*crossguard.DeclarationEntry, error) {
	d := &crossguard.Declaration{Date: rec[col["Date"]]}
	for h, field := range declarationColumns {
		if i, ok := col[h]; ok {
			*field(d) = crossguard.Code(rec[i])
		}
	}
	for _, n := range []struct {
		h   string
		dst *float64
	}{{"Tax Rate", &d.TaxRate}, {"Net Mass", &d.NetMass}, {"Item Price", &d.ItemPrice}} {
		v, err := strconv.ParseFloat(rec[col[n.h]], 64)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", n.h, err)
		}
		*n.dst = v
	}
	fraud, err := strconv.Atoi(rec[col["Fraud"]])
	if err != nil {
		return nil, fmt.Errorf("column Fraud: %w", err)
	}
	critical, err := strconv.Atoi(rec[col["Critical Fraud"]])
	if err != nil {
		return nil, fmt.Errorf("column Critical Fraud: %w", err)
	}
	label := crossguard.Label{Fraud: fraud, Critical: critical}
	return &crossguard.DeclarationEntry{
		Declaration: d, ReceivedAt: at.UTC(),
		Inspection: &crossguard.Inspection{DeclarationID: string(d.DeclarationID), Result: crossguard.LabelResult(label),
			Label: label, Source: crossguard.InspectionFromFile, At: at.UTC()},
	}, nil
}
