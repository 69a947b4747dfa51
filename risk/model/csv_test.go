package model

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"

	"crossguard"
)

// dataDir holds the labelled declaration files.
const dataDir = "../../testdata/customs-declarations/"

// readExamplesCSV reads a labelled declaration file in the layout of
// testdata/customs-declarations (the real reader is package declcsv).
func readExamplesCSV(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []Example
	for li, r := range rows[1:] {
		get := func(h string) string { return r[col[h]] }
		num := func(h string) float64 {
			v, perr := strconv.ParseFloat(get(h), 64)
			if perr != nil && err == nil {
				err = fmt.Errorf("%s line %d: %s: %w", path, li+2, h, perr)
			}
			return v
		}
		d := &crossguard.Declaration{
			DeclarationID: crossguard.Code(get("Declaration ID")), Date: get("Date"),
			OfficeID: crossguard.Code(get("Office ID")), ProcessType: crossguard.Code(get("Process Type")),
			ImportType: crossguard.Code(get("Import Type")), ImportUse: crossguard.Code(get("Import Use")),
			PaymentType: crossguard.Code(get("Payment Type")), ModeOfTransport: crossguard.Code(get("Mode of Transport")),
			DeclarantID: crossguard.Code(get("Declarant ID")), ImporterID: crossguard.Code(get("Importer ID")),
			SellerID: crossguard.Code(get("Seller ID")), CourierID: crossguard.Code(get("Courier ID")),
			HS6Code: crossguard.Code(get("HS6 Code")), CountryOfDeparture: crossguard.Code(get("Country of Departure")),
			CountryOfOrigin: crossguard.Code(get("Country of Origin")), TaxRate: num("Tax Rate"),
			TaxType: crossguard.Code(get("Tax Type")), CountryOfOriginIndicator: crossguard.Code(get("Country of Origin Indicator")),
			NetMass: num("Net Mass"), ItemPrice: num("Item Price"),
		}
		fraud := int(num("Fraud"))
		critical := int(num("Critical Fraud"))
		out = append(out, Example{Decl: d, Label: crossguard.Label{Fraud: fraud, Critical: critical}})
	}
	return out, err
}

var (
	loadOnce       sync.Once
	trainEx, valEx []Example
	loadErr        error
)

// mustLoad returns the train and valid examples, read once per test run.
func mustLoad(tb testing.TB) (train, valid []Example) {
	tb.Helper()
	loadOnce.Do(func() {
		trainEx, loadErr = readExamplesCSV(dataDir + "train.csv")
		if loadErr == nil {
			valEx, loadErr = readExamplesCSV(dataDir + "valid.csv")
		}
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
	return trainEx, valEx
}

// evaluateOn scores examples with m and evaluates the scores.
func evaluateOn(m *Model, ex []Example) crossguard.Evaluation {
	ids := make([]string, len(ex))
	scores := make([]float64, len(ex))
	pos := make([]bool, len(ex))
	for i, e := range ex {
		ids[i] = string(e.Decl.DeclarationID)
		scores[i] = m.Score(e.Decl)
		pos[i] = e.Label.Positive()
	}
	return Evaluate(ids, scores, pos)
}
