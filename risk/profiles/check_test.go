package profiles

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"crossguard"
)

func TestCheckAccepts(t *testing.T) {
	tests := []struct {
		name  string
		conds []string
	}{
		{"issue example", []string{`{"field":"hs6_code","op":"prefix","value":"2939"}`, `{"field":"value_per_kg","op":"lt","value":50}`}},
		{"code as a number", []string{`{"field":"office_id","op":"eq","value":30}`}},
		{"mixed list", []string{`{"field":"office_id","op":"in","value":[30,"40"]}`}},
		{"hs2 and hs4", []string{`{"field":"hs2","op":"eq","value":"29"}`, `{"field":"hs4","op":"prefix","value":"29"}`}},
		{"full hs prefix", []string{`{"field":"hs6_code","op":"prefix","value":"293911"}`}},
		{"date prefix", []string{`{"field":"date","op":"prefix","value":"2021-0"}`}},
		{"leap day prefix", []string{`{"field":"date","op":"prefix","value":"2020-02-29"}`}},
		{"date", []string{`{"field":"date","op":"eq","value":"2021-02-28"}`}},
		{"weekdays", []string{`{"field":"weekday","op":"in","value":[0,6]}`}},
		{"every month", []string{`{"field":"month","op":"between","value":[1,12]}`}},
		{"fractional month bounds", []string{`{"field":"month","op":"between","value":[2.5,3.5]}`}},
		{"no mass", []string{`{"field":"net_mass","op":"le","value":0}`}},
		{"no departure", []string{`{"field":"country_of_departure","op":"eq","value":""}`}},
		{"zero tax", []string{`{"field":"tax_rate","op":"eq","value":0}`}},
		{"open range", []string{`{"field":"net_mass","op":"gt","value":100}`, `{"field":"net_mass","op":"lt","value":200}`}},
		{"closed point", []string{`{"field":"net_mass","op":"ge","value":10}`, `{"field":"net_mass","op":"le","value":10}`}},
		{"eq in range", []string{`{"field":"net_mass","op":"between","value":[100,200]}`, `{"field":"net_mass","op":"eq","value":150}`}},
		{"nested prefixes", []string{`{"field":"hs6_code","op":"prefix","value":"29"}`, `{"field":"hs6_code","op":"prefix","value":"2939"}`}},
		{"eq under prefix", []string{`{"field":"hs6_code","op":"prefix","value":"29"}`, `{"field":"hs6_code","op":"eq","value":"293911"}`}},
		{"overlapping lists", []string{`{"field":"country_of_origin","op":"in","value":["PK","AF"]}`, `{"field":"country_of_origin","op":"in","value":["AF","IR"]}`}},
		{"negative numbers where allowed", []string{`{"field":"month","op":"gt","value":-5}`}},
		{"free text prefix", []string{`{"field":"importer_id","op":"prefix","value":"IMP"}`}},
		{"fifty conditions", strings.Split(strings.Repeat(`{"field":"net_mass","op":"ge","value":1};`, crossguard.MaxConditions-1)+`{"field":"net_mass","op":"ge","value":1}`, ";")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(mustProfile(t, "p", 0.5, tt.conds...)); err != nil {
				t.Fatalf("refused: %v", err)
			}
		})
	}
}

func TestCheckRefuses(t *testing.T) {
	tests := []struct {
		name  string
		conds []string
		path  string // the field error expected
		says  string // in its message
	}{
		{"no conditions", nil, "conditions", "at least one"},
		{"too many conditions", strings.Split(strings.Repeat(`{"field":"net_mass","op":"ge","value":1};`, crossguard.MaxConditions)+`{"field":"net_mass","op":"ge","value":1}`, ";"), "conditions", "at most 50"},
		{"unknown field", []string{`{"field":"colour","op":"eq","value":"red"}`}, "conditions[0].field", "known fields are country_of_departure, country_of_origin"},
		{"no field", []string{`{"op":"eq","value":"red"}`}, "conditions[0].field", "required"},
		{"unknown op", []string{`{"field":"net_mass","op":"ne","value":1}`}, "conditions[0].op", `"ne" is not an operator`},
		{"no op", []string{`{"field":"net_mass","value":1}`}, "conditions[0].op", "required"},
		{"prefix on a number", []string{`{"field":"net_mass","op":"prefix","value":"1"}`}, "conditions[0].op", "prefix does not apply to number field net_mass"},
		{"comparison on text", []string{`{"field":"office_id","op":"lt","value":30}`}, "conditions[0].op", "lt does not apply to text field office_id; use one of eq, in, prefix"},
		{"between on text", []string{`{"field":"date","op":"between","value":["2021-01-01","2021-02-01"]}`}, "conditions[0].op", "does not apply"},
		{"no value", []string{`{"field":"net_mass","op":"eq"}`}, "conditions[0].value", "required"},
		{"in without a list", []string{`{"field":"office_id","op":"in","value":"30"}`}, "conditions[0].value", "in needs a list"},
		{"in an empty list", []string{`{"field":"office_id","op":"in","value":[]}`}, "conditions[0].value", "at least one value"},
		{"in too long a list", []string{`{"field":"net_mass","op":"in","value":[` + strings.Repeat("1,", crossguard.MaxInValues) + `1]}`}, "conditions[0].value", "at most 10000"},
		{"in a short HS code", []string{`{"field":"hs6_code","op":"in","value":["293911","2939"]}`}, "conditions[0].value[1]", `"2939" is not a 6-digit HS code`},
		{"in a non-number", []string{`{"field":"month","op":"in","value":[1,"2"]}`}, "conditions[0].value[1]", `not the string "2"`},
		{"between one value", []string{`{"field":"net_mass","op":"between","value":[1]}`}, "conditions[0].value", "between needs a pair [low, high], got 1 values"},
		{"between three values", []string{`{"field":"net_mass","op":"between","value":[1,2,3]}`}, "conditions[0].value", "got 3 values"},
		{"between no list", []string{`{"field":"net_mass","op":"between","value":5}`}, "conditions[0].value", "between needs a pair"},
		{"between a string", []string{`{"field":"net_mass","op":"between","value":["1",2]}`}, "conditions[0].value[0]", "must be a number"},
		{"between backwards", []string{`{"field":"net_mass","op":"between","value":[200,100]}`}, "conditions[0].value", "low 200 is above high 100"},
		{"number as a string", []string{`{"field":"net_mass","op":"lt","value":"50"}`}, "conditions[0].value", `must be a number such as 50, not the string "50"`},
		{"number as a boolean", []string{`{"field":"net_mass","op":"lt","value":true}`}, "conditions[0].value", "not a boolean"},
		{"infinite number", []string{`{"field":"net_mass","op":"lt","value":1e999}`}, "conditions[0].value", "finite number"},
		{"text as a boolean", []string{`{"field":"office_id","op":"eq","value":false}`}, "conditions[0].value", "must be text"},
		{"text as null", []string{`{"field":"office_id","op":"eq","value":null}`}, "conditions[0].value", "not null"},
		{"text as an object", []string{`{"field":"office_id","op":"eq","value":{"a":1}}`}, "conditions[0].value", "not an object"},
		{"HS prefix not digits", []string{`{"field":"hs6_code","op":"prefix","value":"29a"}`}, "conditions[0].value", "not digits"},
		{"HS prefix too long", []string{`{"field":"hs6_code","op":"prefix","value":"2939110"}`}, "conditions[0].value", "longer than the 6 digits of hs6_code"},
		{"chapter prefix too long", []string{`{"field":"hs2","op":"prefix","value":"293"}`}, "conditions[0].value", "longer than the 2 digits of hs2"},
		{"short HS code", []string{`{"field":"hs6_code","op":"eq","value":"2939"}`}, "conditions[0].value", "not a 6-digit HS code"},
		{"lower-case country", []string{`{"field":"country_of_origin","op":"eq","value":"pk"}`}, "conditions[0].value", "2-letter country code"},
		{"no origin", []string{`{"field":"country_of_origin","op":"eq","value":""}`}, "conditions[0].value", "no declaration leaves country_of_origin empty"},
		{"empty office", []string{`{"field":"office_id","op":"eq","value":""}`}, "conditions[0].value", "no declaration leaves office_id empty"},
		{"too long a code", []string{`{"field":"importer_id","op":"eq","value":"` + strings.Repeat("x", 65) + `"}`}, "conditions[0].value", "longer than 64 bytes"},
		{"not a date", []string{`{"field":"date","op":"eq","value":"2021-13-01"}`}, "conditions[0].value", "not a date"},
		{"date as a number", []string{`{"field":"date","op":"eq","value":20210101}`}, "conditions[0].value", "not a date"},
		{"no such month prefix", []string{`{"field":"date","op":"prefix","value":"2021-13"}`}, "conditions[0].value", "cannot start a date"},
		{"no 30th of February", []string{`{"field":"date","op":"prefix","value":"2021-02-3"}`}, "conditions[0].value", "cannot start a date"},
		{"no leap day", []string{`{"field":"date","op":"prefix","value":"2021-02-29"}`}, "conditions[0].value", "cannot start a date"},
		{"empty prefix", []string{`{"field":"importer_id","op":"prefix","value":""}`}, "conditions[0].value", "empty prefix"},
		{"two values", []string{`{"field":"office_id","op":"eq","value":"30"}`, `{"field":"office_id","op":"eq","value":"40"}`}, "conditions[1].value", `together with conditions[0] (office_id eq "30")`},
		{"disjoint lists", []string{`{"field":"country_of_origin","op":"in","value":["PK","AF"]}`, `{"field":"country_of_origin","op":"in","value":["IR","CN"]}`}, "conditions[1].value", "together with conditions[0]"},
		{"eq outside a list", []string{`{"field":"country_of_origin","op":"in","value":["PK","AF"]}`, `{"field":"country_of_origin","op":"eq","value":"IR"}`}, "conditions[1].value", "together with conditions[0]"},
		{"empty range", []string{`{"field":"net_mass","op":"gt","value":100}`, `{"field":"net_mass","op":"lt","value":50}`}, "conditions[1].value", "together with conditions[0] (net_mass gt 100)"},
		{"open point", []string{`{"field":"net_mass","op":"gt","value":10}`, `{"field":"net_mass","op":"le","value":10}`}, "conditions[1].value", "together with conditions[0]"},
		{"eq outside a range", []string{`{"field":"net_mass","op":"between","value":[100,200]}`, `{"field":"net_mass","op":"eq","value":50}`}, "conditions[1].value", "together with conditions[0]"},
		{"range excluding eq", []string{`{"field":"net_mass","op":"eq","value":50}`, `{"field":"net_mass","op":"gt","value":100}`}, "conditions[1].value", "together with conditions[0] (net_mass eq 50)"},
		{"range excluding a list", []string{`{"field":"net_mass","op":"in","value":[1,2]}`, `{"field":"net_mass","op":"ge","value":3}`}, "conditions[1].value", "together with conditions[0]"},
		{"disjoint prefixes", []string{`{"field":"hs6_code","op":"prefix","value":"29"}`, `{"field":"hs6_code","op":"prefix","value":"30"}`}, "conditions[1].value", `together with conditions[0] (hs6_code prefix "29")`},
		{"eq outside a prefix", []string{`{"field":"hs6_code","op":"eq","value":"293911"}`, `{"field":"hs6_code","op":"prefix","value":"30"}`}, "conditions[1].value", "together with conditions[0]"},
		{"prefix outside a list", []string{`{"field":"hs6_code","op":"prefix","value":"30"}`, `{"field":"hs6_code","op":"in","value":["293911","293919"]}`}, "conditions[1].value", "together with conditions[0]"},
		{"negative mass", []string{`{"field":"net_mass","op":"lt","value":0}`}, "conditions[0].value", "net_mass is never negative"},
		{"negative value per kg", []string{`{"field":"value_per_kg","op":"le","value":-1}`}, "conditions[0].value", "value_per_kg is never negative"},
		{"negative price", []string{`{"field":"item_price","op":"eq","value":-1}`}, "conditions[0].value", "never negative"},
		{"thirteenth month", []string{`{"field":"month","op":"eq","value":13}`}, "conditions[0].value", "month is a whole number from 1 to 12"},
		{"half a month", []string{`{"field":"month","op":"eq","value":2.5}`}, "conditions[0].value", "whole number"},
		{"no month between", []string{`{"field":"month","op":"between","value":[2.2,2.8]}`}, "conditions[0].value", "can never hold"},
		{"eighth weekday", []string{`{"field":"weekday","op":"gt","value":6}`}, "conditions[0].value", "weekday is a whole number from 0 (Sunday) to 6"},
		{"weekday in list", []string{`{"field":"weekday","op":"in","value":[1,7]}`}, "conditions[0].value[1]", "7 can never be"},
		{"between two months", []string{`{"field":"month","op":"gt","value":11}`, `{"field":"month","op":"lt","value":12}`}, "conditions[1].value", "together with conditions[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(mustProfile(t, "p", 0.5, tt.conds...))
			var e *crossguard.Error
			if !errors.As(err, &e) || e.Code != crossguard.EINVALID {
				t.Fatalf("got %v, want an EINVALID *crossguard.Error", err)
			}
			for _, f := range e.Fields {
				if f.Field == tt.path && strings.Contains(f.Message, tt.says) {
					return
				}
			}
			t.Fatalf("no error %s: ...%s...; got %v", tt.path, tt.says, e.Fields)
		})
	}
}

// TestCheckReportsEveryCondition checks that one call names every faulty
// condition rather than the first.
func TestCheckReportsEveryCondition(t *testing.T) {
	err := Check(mustProfile(t, "p", 0.5,
		`{"field":"colour","op":"eq","value":"red"}`,
		`{"field":"net_mass","op":"prefix","value":"1"}`,
		`{"field":"hs6_code","op":"prefix","value":"2939"}`,
		`{"field":"net_mass","op":"lt","value":-1}`))
	got := map[string]bool{}
	for _, f := range crossguard.ErrorFields(err) {
		got[f.Field] = true
	}
	for _, want := range []string{"conditions[0].field", "conditions[1].op", "conditions[3].value"} {
		if !got[want] {
			t.Errorf("no error for %s in %v", want, err)
		}
	}
	if got["conditions[2].value"] || len(got) != 3 {
		t.Errorf("errors %v, want exactly conditions 0, 1 and 3", err)
	}
}

func TestCheckNilProfile(t *testing.T) {
	if crossguard.ErrorCode(Check(nil)) != crossguard.EINVALID {
		t.Fatal("a nil profile passed")
	}
}

func TestCompileNamesTheRefusedProfile(t *testing.T) {
	good := mustProfile(t, "good", 0.5, `{"field":"office_id","op":"eq","value":"30"}`)
	bad := mustProfile(t, "bad", 0.5, `{"field":"net_mass","op":"lt","value":-1}`)
	_, err := Compile([]*crossguard.Profile{good, bad})
	if err == nil || !strings.Contains(err.Error(), `profile 1 (id "bad"`) || crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Fatalf("got %v, want an EINVALID error naming profile 1", err)
	}
	if _, err := Compile([]*crossguard.Profile{good, nil}); err == nil || !strings.Contains(err.Error(), "profile 1") {
		t.Fatalf("a nil profile: got %v", err)
	}
	ix, err := Compile(nil)
	if err != nil || ix.Len() != 0 || len(ix.Match(nil, sampleDeclaration(), "2021-02-15")) != 0 {
		t.Fatalf("no profiles: %v", err)
	}
}

func ExampleCheck() {
	p := &crossguard.Profile{Conditions: []crossguard.Condition{
		{Field: "hs6_code", Op: "prefix", Value: []byte(`"29391"`)},
		{Field: "hs6_code", Op: "prefix", Value: []byte(`"30"`)},
		{Field: "net_mass", Op: "lt", Value: []byte(`0`)},
	}}
	for _, f := range crossguard.ErrorFields(Check(p)) {
		fmt.Printf("%s: %s\n", f.Field, f.Message)
	}
	// Output:
	// conditions[1].value: can never hold together with conditions[0] (hs6_code prefix "29391")
	// conditions[2].value: can never hold: net_mass is never negative
}
