package identifier

import (
	"errors"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     Identifier
		wantErr  error // the cause an error about the type wraps
		invalid  bool  // an error about the value, wrapping nothing
	}{
		{"container", "container:COSU1099521", Identifier{Container, "COSU1099521"}, nil, false},
		{"container, spelled loosely", "container:cosu 109952-1", Identifier{Container, "COSU1099521"}, nil, false},
		{"type in upper case", "CONTAINER:CSQU3054383", Identifier{Container, "CSQU3054383"}, nil, false},
		{"plate keeps its own colon", "vehicle_plate:PK:LEA-1234", Identifier{VehiclePlate, "PK:LEA1234"}, nil, false},
		{"plate with space", "vehicle_plate:PK LEA-1234", Identifier{VehiclePlate, "PK:LEA1234"}, nil, false},
		{"goods HS token", "goods:hs:2939", Identifier{Goods, "hs:2939"}, nil, false},
		{"no colon", "COSU1099521", Identifier{}, ErrUnknownType, false},
		{"unknown type", "shoe:42", Identifier{}, ErrUnknownType, false},
		{"passport", "passport:AB1234567", Identifier{}, ErrPersonal, false},
		{"bad check digit", "container:CSQU3054384", Identifier{}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			switch {
			case tt.wantErr != nil || tt.invalid:
				var e *Error
				if !errors.As(err, &e) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || (tt.invalid && errors.Unwrap(err) != nil) {
					t.Fatalf("Parse(%q) = %v, %v; want an *Error wrapping %v", tt.in, got, err, tt.wantErr)
				}
			case err != nil || got != tt.want:
				t.Fatalf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if err == nil {
				if again, err := Parse(got.String()); err != nil || again != got {
					t.Fatalf("Parse(%q) = %v, %v; want %v back", got.String(), again, err, got)
				}
			}
		})
	}
}

func TestPersonal(t *testing.T) {
	for _, typ := range []string{"passport", "Passport No", "passport_number", "id_card", "ID card number",
		"national_id", "cnic", "phone", "Telephone", "mobile-phone", "email", "e-mail", "E-Mail",
		"driving_licence", "driving license", "driver's license", "date_of_birth", "name", "visa"} {
		if !Personal(typ) {
			t.Errorf("Personal(%q) = false, want true", typ)
		}
		_, err := Normalize(typ, "AB1234567")
		var e *Error
		if !errors.Is(err, ErrPersonal) || !errors.As(err, &e) || e.Type != typ {
			t.Errorf("Normalize(%q, ...) = %v, want an *Error wrapping ErrPersonal", typ, err)
		}
	}
	for _, typ := range append(Types(), "shoe_size", "") {
		if Personal(typ) {
			t.Errorf("Personal(%q) = true, want false", typ)
		}
	}
	if !slices.Contains(Types(), CompanyRegistration) || Personal(CompanyRegistration) {
		t.Error("company registrations (legal persons) must stay indexable")
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := Normalize(Container, "csqu 305438 4")
	want := `container "csqu 305438 4": "CSQU3054384": check digit is 4, expected 3`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
