package crossguard_test

import (
	"testing"

	"crossguard"
)

func TestIsRecordID(t *testing.T) {
	tests := []struct {
		name string
		id   string
		want bool
	}{
		{"canonical UUIDv7", "0193f1a2-0000-7000-8000-000000000009", true},
		{"canonical other version", "6ba7b810-9dad-11d1-80b4-00c04fd430c8", true},
		{"empty", "", false},
		{"upper case", "0193F1A2-0000-7000-8000-000000000009", false},
		{"braces", "{0193f1a2-0000-7000-8000-000000000009}", false},
		{"urn prefix", "urn:uuid:0193f1a2-0000-7000-8000-000000000009", false},
		{"no hyphens", "0193f1a200007000800000000000000a", false},
		{"hyphen misplaced", "0193f1a20-000-7000-8000-000000000009", false},
		{"not hex", "0193f1a2-0000-7000-8000-00000000000g", false},
		{"trailing newline", "0193f1a2-0000-7000-8000-000000000009\n", false},
		{"too long", "0193f1a2-0000-7000-8000-0000000000090", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := crossguard.IsRecordID(tc.id); got != tc.want {
				t.Fatalf("IsRecordID(%q) = %v, want %v", tc.id, got, tc.want)
			}
		})
	}
}

// TestRecordReferencesAreRecordIDs checks that a record refers to another
// by its id as nodes write it: a form of the UUID that no stored id has
// is refused, since it would never match the record it names.
func TestRecordReferencesAreRecordIDs(t *testing.T) {
	annotation := func(target string) *crossguard.Annotation {
		return &crossguard.Annotation{Header: crossguard.Header{Distribution: crossguard.DistPartners,
			Marking: crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H0"}},
			Target: crossguard.RecordRef{ID: target, Kind: crossguard.KindSeizure, Origin: "cn-customs/kashgar"},
			Text:   "Same concealment as ours of last week."}
	}
	if err := annotation("0193f1a2-0000-7000-8000-000000000009").Validate(); err != nil {
		t.Fatalf("an annotation of a canonical id is refused: %v", err)
	}
	for _, id := range []string{"0193F1A2-0000-7000-8000-000000000009", "{0193f1a2-0000-7000-8000-000000000009}", "0193f1a200007000800000000000000a"} {
		t.Run(id, func(t *testing.T) {
			err := annotation(id).Validate()
			if crossguard.ErrorCode(err) != crossguard.EINVALID {
				t.Fatalf("annotation of target %q: err = %v, want EINVALID", id, err)
			}
		})
	}
}
