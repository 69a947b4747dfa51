package profiles

import (
	"encoding/json"
	"errors"
	"testing"

	"crossguard"
)

// fuzzDeclarations are the declarations fuzzed profiles are matched
// against: valid.csv's first rows and a few edge cases.
func fuzzDeclarations(tb testing.TB) []*crossguard.Declaration {
	out := append([]*crossguard.Declaration{}, loadDeclarations(tb, validCSV)[:150]...)
	d := sampleDeclaration()
	noMass := *d
	noMass.NetMass = 0
	empty := &crossguard.Declaration{}
	return append(out, d, &noMass, empty)
}

var fuzzSeeds = []string{
	`{"name":"x","conditions":[{"field":"hs6_code","op":"prefix","value":"2939"},{"field":"value_per_kg","op":"lt","value":50}],"valid_from":"2021-01-01"}`,
	`{"conditions":[{"field":"office_id","op":"in","value":[30,"40"]},{"field":"net_mass","op":"between","value":[1,1000]}]}`,
	`{"conditions":[{"field":"country_of_origin","op":"eq","value":"CN"},{"field":"weekday","op":"in","value":[5,6]}],"valid_to":"2021-02-01"}`,
	`{"conditions":[{"field":"net_mass","op":"gt","value":100},{"field":"net_mass","op":"lt","value":50}]}`,
	`{"conditions":[{"field":"date","op":"prefix","value":"2021-01"},{"field":"month","op":"eq","value":1}]}`,
	`{"conditions":[{"field":"hs4","op":"eq","value":"8517"},{"field":"hs6_code","op":"in","value":["851712","851762"]}]}`,
	`{"conditions":[{"field":"tax_amount","op":"ge","value":0},{"field":"importer_id","op":"prefix","value":"S"}]}`,
	`{"conditions":[{"field":"colour","op":"eq","value":null}]}`,
}

// FuzzCheck checks that Check never panics on any profile JSON, refuses
// with a proper error, and that whatever it accepts compiles and matches
// exactly as the naive evaluator does.
func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	decls := fuzzDeclarations(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p crossguard.Profile
		if json.Unmarshal(data, &p) != nil {
			return
		}
		err := Check(&p)
		if err != nil {
			var e *crossguard.Error
			if !errors.As(err, &e) || e.Code != crossguard.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("refused without an EINVALID error naming fields: %v", err)
			}
			if _, cerr := Compile([]*crossguard.Profile{&p}); cerr == nil {
				t.Fatalf("Compile accepted a profile Check refuses (%v)", err)
			}
			return
		}
		agree(t, &p, decls)
	})
}

// FuzzMatch checks index and naive evaluator agree for fuzzed profiles
// and fuzzed declarations.
func FuzzMatch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), []byte(`{"declaration_id":"1","date":"2021-01-08","office_id":30,"hs6_code":"293911","country_of_origin":"CN","net_mass":0,"item_price":10,"importer_id":"SX1"}`))
	}
	f.Fuzz(func(t *testing.T, profile, declaration []byte) {
		var p crossguard.Profile
		var d crossguard.Declaration
		if json.Unmarshal(profile, &p) != nil || json.Unmarshal(declaration, &d) != nil || Check(&p) != nil {
			return
		}
		agree(t, &p, []*crossguard.Declaration{&d})
	})
}

// agree compiles p and compares its matches with the naive evaluator's
// on the declarations' own days and a fixed one.
func agree(t *testing.T, p *crossguard.Profile, decls []*crossguard.Declaration) {
	t.Helper()
	ix, err := Compile([]*crossguard.Profile{p})
	if err != nil {
		t.Fatalf("Check accepted a profile Compile refuses: %v", err)
	}
	for _, d := range decls {
		for _, day := range []string{d.Date, "2021-02-15"} {
			got := len(ix.Match(nil, d, day)) == 1
			if want := naiveMatch(p, d, day); got != want {
				t.Fatalf("declaration %+v on %s: index %v, naive %v", d, day, got, want)
			}
		}
	}
}
