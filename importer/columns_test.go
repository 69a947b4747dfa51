package importer

import (
	"slices"
	"testing"

	"crossguard/sample"
)

// TestSampleWritesTheLayout keeps sample.Columns, which sample cannot take
// from this package without an import cycle in these tests, equal to the
// layout the importer reads.
func TestSampleWritesTheLayout(t *testing.T) {
	if !slices.Equal(sample.Columns, columnNames[:]) {
		t.Fatalf("sample.Columns = %v\nimporter layout = %v", sample.Columns, columnNames)
	}
}
