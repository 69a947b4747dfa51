// Package testmodel trains the small fraud model that tests of the pages
// and services around risk targeting decide with.
package testmodel

import (
	"bytes"
	"context"
	"testing"

	"crossguard"
	"crossguard/risk/model"
	"crossguard/storetest"
)

// File trains a model of 5 trees on 200 synthetic declarations at the
// crossing sost, where every fifth is overpriced and fraudulent, and
// returns its file. The same file comes back on every call.
func File(t testing.TB) []byte {
	t.Helper()
	var ex []model.Example
	for i := range 200 {
		d := storetest.NewDeclaration(i, "sost")
		var l crossguard.Label
		if i%5 == 0 {
			d.ItemPrice = 1000
			l = crossguard.Label{Fraud: 1, Critical: 1}
		}
		ex = append(ex, model.Example{Decl: d, Label: l})
	}
	m, err := model.Train(context.Background(), ex, model.Options{Seed: 7, Trees: 5, MaxLeaves: 8})
	if err != nil {
		t.Fatalf("train the test model: %v", err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
