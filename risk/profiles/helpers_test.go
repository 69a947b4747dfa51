package profiles

import (
	"encoding/json"
	"testing"

	"crossguard"
)

// mustProfile builds a profile in force from 2021-01-01 with the given
// conditions, each written as JSON: {"field": ..., "op": ..., "value": ...}.
func mustProfile(t testing.TB, id string, score float64, conds ...string) *crossguard.Profile {
	t.Helper()
	p := &crossguard.Profile{
		Header: crossguard.Header{ID: id}, Name: "profile " + id, Channel: crossguard.ChannelRed,
		Score: score, ValidFrom: "2021-01-01",
	}
	for _, c := range conds {
		var cond crossguard.Condition
		if err := json.Unmarshal([]byte(c), &cond); err != nil {
			t.Fatalf("condition %s: %v", c, err)
		}
		p.Conditions = append(p.Conditions, cond)
	}
	return p
}

// mustCompile compiles profiles, failing the test on error.
func mustCompile(t testing.TB, ps ...*crossguard.Profile) *Index {
	t.Helper()
	ix, err := Compile(ps)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// sampleDeclaration is a declaration of opium alkaloids from Pakistan on
// Monday 2021-02-15: 10 kg at 400, value per kg 40, tax 5% (20).
func sampleDeclaration() *crossguard.Declaration {
	return &crossguard.Declaration{
		DeclarationID: "D1", Date: "2021-02-15", OfficeID: "30", ProcessType: "B", ImportType: "11",
		ImportUse: "21", PaymentType: "11", ModeOfTransport: "10", DeclarantID: "DCL1", ImporterID: "IMP1",
		SellerID: "SEL1", HS6Code: "293911", CountryOfDeparture: "AF", CountryOfOrigin: "PK",
		TaxRate: 5, TaxType: "FCN1", CountryOfOriginIndicator: "E", NetMass: 10, ItemPrice: 400,
		Crossing: "torkham",
	}
}
