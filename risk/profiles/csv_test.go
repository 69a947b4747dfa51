package profiles

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"

	"crossguard"
)

const (
	trainCSV = "../../testdata/customs-declarations/train.csv"
	validCSV = "../../testdata/customs-declarations/valid.csv"
)

var (
	csvOnce  sync.Map // path -> *csvResult
	csvMutex sync.Mutex
)

type csvResult struct {
	decls []*crossguard.Declaration
	err   error
}

// loadDeclarations reads a declarations CSV file (cached per path).
func loadDeclarations(tb testing.TB, path string) []*crossguard.Declaration {
	tb.Helper()
	csvMutex.Lock()
	defer csvMutex.Unlock()
	if r, ok := csvOnce.Load(path); ok {
		res := r.(*csvResult)
		if res.err != nil {
			tb.Fatal(res.err)
		}
		return res.decls
	}
	decls, err := readDeclarations(path)
	csvOnce.Store(path, &csvResult{decls, err})
	if err != nil {
		tb.Fatal(err)
	}
	return decls
}

func readDeclarations(path string) ([]*crossguard.Declaration, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []*crossguard.Declaration
	for n, r := range rows[1:] {
		get := func(h string) string { return r[col[h]] }
		num := func(h string) (float64, error) { return strconv.ParseFloat(get(h), 64) }
		d := &crossguard.Declaration{
			DeclarationID: crossguard.Code(get("Declaration ID")), Date: get("Date"),
			OfficeID: crossguard.Code(get("Office ID")), ProcessType: crossguard.Code(get("Process Type")),
			ImportType: crossguard.Code(get("Import Type")), ImportUse: crossguard.Code(get("Import Use")),
			PaymentType: crossguard.Code(get("Payment Type")), ModeOfTransport: crossguard.Code(get("Mode of Transport")),
			DeclarantID: crossguard.Code(get("Declarant ID")), ImporterID: crossguard.Code(get("Importer ID")),
			SellerID: crossguard.Code(get("Seller ID")), CourierID: crossguard.Code(get("Courier ID")),
			HS6Code: crossguard.Code(get("HS6 Code")), CountryOfDeparture: crossguard.Code(get("Country of Departure")),
			CountryOfOrigin: crossguard.Code(get("Country of Origin")), TaxType: crossguard.Code(get("Tax Type")),
			CountryOfOriginIndicator: crossguard.Code(get("Country of Origin Indicator")),
		}
		if d.TaxRate, err = num("Tax Rate"); err == nil {
			if d.NetMass, err = num("Net Mass"); err == nil {
				d.ItemPrice, err = num("Item Price")
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s row %d: %w", path, n+2, err)
		}
		out = append(out, d)
	}
	return out, nil
}
