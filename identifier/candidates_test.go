package identifier

import (
	"slices"
	"testing"
)

func TestCandidates(t *testing.T) {
	tests := []struct {
		name, q string
		want    []Identifier // must all be present
		absent  []Identifier // must not be present
	}{
		{"container in two words", "cosu 1099521", []Identifier{{Container, "COSU1099521"}}, nil},
		{"container with hyphen", "seized from COSU 109952-1 at Karachi", []Identifier{{Container, "COSU1099521"}}, nil},
		{"container with wrong check digit is not one", "COSU1099522", nil, []Identifier{{Container, "COSU1099522"}}},
		{"waybill", "awb 176-12345675", []Identifier{{Waybill, "17612345675"}, {BillOfLading, "17612345675"}}, nil},
		{"eleven digits failing mod 7 are no waybill", "17612345674", nil, []Identifier{{Waybill, "17612345674"}}},
		{"postal item in groups", "parcel RR 473 124 829 GB", []Identifier{{PostalItem, "RR473124829GB"}}, nil},
		{"vessel", "IMO 9074729", []Identifier{{VesselIMO, "IMO9074729"}}, nil},
		{"vessel without prefix", "9074729", []Identifier{{VesselIMO, "IMO9074729"}}, nil},
		{"flight", "on PK 0301 from Dubai", []Identifier{{Flight, "PK301"}}, nil},
		{"plate with country in capitals", "truck PK LEA-1234", []Identifier{{VehiclePlate, "PK:LEA1234"}, {CompanyRegistration, "PK:LEA1234"}}, nil},
		{"plate in colon form, any case", "pk:lea-1234", []Identifier{{VehiclePlate, "PK:LEA1234"}}, nil},
		{"country word in lower case is no plate", "in 2024", nil, []Identifier{{VehiclePlate, "IN:2024"}}},
		{"country without digit is no plate", "PK heroin", nil, []Identifier{{VehiclePlate, "PK:HEROIN"}}},
		{"TYPE:VALUE", "container:csqu3054383", []Identifier{{Container, "CSQU3054383"}}, nil},
		{"bill of lading", "MAEU 123456789", []Identifier{{BillOfLading, "MAEU123456789"}}, nil},
		{"short code is no bill of lading", "PK301", []Identifier{{Flight, "PK301"}}, []Identifier{{BillOfLading, "PK301"}}},
		{"goods words", "the Heroin", []Identifier{{Goods, "heroin"}}, []Identifier{{Goods, "the"}}},
		{"goods HS token", "hs:2939", []Identifier{{Goods, "hs:2939"}}, nil},
		{"personal type is never a candidate", "passport:AB1234567", nil, []Identifier{{"passport", "AB1234567"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Candidates(tt.q)
			for _, id := range tt.want {
				if !slices.Contains(got, id) {
					t.Errorf("Candidates(%q) = %v, want it to contain %v", tt.q, got, id)
				}
			}
			for _, id := range tt.absent {
				if slices.Contains(got, id) {
					t.Errorf("Candidates(%q) = %v, want it without %v", tt.q, got, id)
				}
			}
			seen := map[Identifier]bool{}
			for _, id := range got {
				if canon, err := Normalize(id.Type, id.Value); err != nil || canon != id.Value {
					t.Errorf("candidate %v is not canonical: %q, %v", id, canon, err)
				}
				if seen[id] {
					t.Errorf("candidate %v appears twice", id)
				}
				seen[id] = true
			}
		})
	}
}

func TestCandidatesEmpty(t *testing.T) {
	if got := Candidates("  "); len(got) != 0 {
		t.Errorf("Candidates of blank = %v, want none", got)
	}
}
