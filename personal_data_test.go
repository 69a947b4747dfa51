package crossguard_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// pii is a text with a CNIC, what a careless narrative carries.
const pii = "seen by the driver 35202-1234567-1"

// structuredFields are the string fields of shareable records that are
// not free text: header fields, enumerations, codes, ids and dates, each
// checked by its own rule. Every other string field must be screened for
// personal data; TestEveryFreeTextFieldIsScreened fails for a new string
// field that is in neither group, so that nobody adds free text unscreened.
var structuredFields = []string{
	"id", "kind", "origin", "distribution", "recipients[0]",
	"marking.tlp", "marking.handling", "marking.source_reliability", "marking.info_accuracy",
	// seizure
	"country", "place.locode", "direction", "transport_mode", "detection_method", "concealment",
	"route.origin", "route.departure", "route.transit[0]", "route.destination",
	"goods[0].category", "goods[0].hs", "goods[0].unit", "goods[0].value.currency", "identifiers[0].type",
	// warning, feedback, message
	"operation", "to[0]", "suggested_channel", "warning", "result", "seizure_id",
	// profile
	"channel", "valid_from", "valid_to", "conditions[0].field", "conditions[0].op",
	// operation
	"participants[0]", "focus.categories[0]", "focus.hs_prefixes[0]", "focus.routes[0][0]",
	// agreement, progress, activity
	"parties[0]", "signed_on", "scope.kinds[0]", "scope.default_marking.tlp", "scope.default_marking.handling",
	"scope.default_marking.source_reliability", "scope.default_marking.info_accuracy",
	"commitments[0].id", "commitments[0].type", "commitments[0].owner", "commitments[0].due",
	"agreement", "commitment", "status", "type", "starts_on", "ends_on", "agencies[0]",
	// annotation
	"target.id", "target.kind", "target.origin",
}

// screenedKind is a record kind with a valid example and its validation.
type screenedKind struct {
	kind     string
	example  func(t *testing.T) any
	validate func(v any) error
}

// screenedKinds returns every kind of record that can leave a node.
func screenedKinds() []screenedKind {
	validate := func(v any) error { return v.(interface{ Validate() error }).Validate() }
	return []screenedKind{
		{crossguard.KindSeizure, func(t *testing.T) any {
			s := mustExample(t)
			s.Identifiers = append(s.Identifiers, crossguard.Identifier{Type: "company_registration", Value: "1234567-8"})
			return s
		}, func(v any) error { return v.(*crossguard.Seizure).Validate(now) }},
		{crossguard.KindWarning, func(*testing.T) any { return operationRecords()[0] }, validate},
		{crossguard.KindFeedback, func(*testing.T) any { return operationRecords()[1] }, validate},
		{crossguard.KindMessage, func(*testing.T) any { return operationRecords()[2] }, validate},
		{crossguard.KindOperation, func(*testing.T) any {
			op := stampedOperation("pk-customs", "af-customs")
			op.Focus = crossguard.OperationFocus{Categories: []string{"narcotics"}, HSPrefixes: []string{"1211"},
				Routes: [][]string{{"AF", "PK"}}, Crossings: []string{"Torkham"}}
			return op
		}, validate},
		{crossguard.KindProfile, func(*testing.T) any {
			return storetest.NewProfile(1, "pk-customs/hq", now)
		}, validate},
		{crossguard.KindAgreement, func(*testing.T) any {
			a := progAgreement()
			a.Commitments[0].Description = "Two days at the pass"
			return a
		}, validate},
		{crossguard.KindProgress, func(*testing.T) any {
			p := progReport(1, "pk-customs/sost", "ex-1", crossguard.StatusDone, 0)
			p.Note = "held as planned"
			return p
		}, validate},
		{crossguard.KindActivity, func(*testing.T) any {
			a := progActivity()
			a.Outcome = "all passed"
			return a
		}, validate},
		{crossguard.KindActivity + " (visit)", func(*testing.T) any {
			a := progActivity()
			a.Type, a.Training, a.Commitment = crossguard.ActivityVisit, nil, "vi-1"
			a.Visit = &crossguard.Visit{DelegationSize: 4, LeadTitle: "Deputy collector", Itinerary: []string{"Torkham", "Landi Kotal"}}
			return a
		}, validate},
		{crossguard.KindAnnotation, func(*testing.T) any {
			return &crossguard.Annotation{Header: crossguard.Header{Distribution: crossguard.DistPartners,
				Marking: crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H0"}},
				Target: crossguard.RecordRef{ID: "0193f1a2-0000-7000-8000-000000000009", Kind: crossguard.KindSeizure, Origin: "cn-customs/kashgar"},
				Text:   "Same concealment as ours of last week."}
		}, validate},
	}
}

// operationRecords returns a valid warning, feedback and message of
// stampedOperation.
func operationRecords() []any {
	op := stampedOperation("pk-customs", "af-customs")
	h := func(id string) crossguard.Header {
		return crossguard.Header{ID: id, Origin: "pk-customs/sost", Version: 1, CreatedAt: opNow, UpdatedAt: opNow,
			Marking: op.Marking, Recipients: op.Participants}
	}
	w := &crossguard.Warning{Header: h("0193f1a2-0000-7000-8000-000000000002"), Operation: op.ID,
		Identifiers: []crossguard.Identifier{{Type: "vehicle_plate", Value: "LEA-4471"}}, ExpectedCrossing: "Sost",
		Window: crossguard.WarningWindow{From: opNow, To: opNow.Add(time.Hour)}, Reason: "tip-off", SuggestedChannel: crossguard.ChannelYellow}
	w.Normalize()
	f := &crossguard.Feedback{Header: h("0193f1a2-0000-7000-8000-000000000003"), Warning: w.ID, Operation: op.ID,
		Result: crossguard.FeedbackNotInspected, NotInspectedReason: "scanner out of order", Notes: "will retry"}
	f.Normalize()
	m := &crossguard.Message{Header: h("0193f1a2-0000-7000-8000-000000000004"), Operation: op.ID, Text: "ready"}
	m.Normalize()
	return []any{w, f, m}
}

// stringFields calls fn with the JSON path and value of every string
// field of v (a pointer to a record), the first element of each list
// and the fields of each struct it holds.
func stringFields(v reflect.Value, path string, fn func(path string, v reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			stringFields(v.Elem(), path, fn)
		}
	case reflect.String:
		fn(path, v)
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Uint8 && v.Len() > 0 { // json.RawMessage is screened by its own test
			stringFields(v.Index(0), path+"[0]", fn)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case f.Anonymous:
				stringFields(v.Field(i), path, fn)
			case name == "-" || !f.IsExported():
			default:
				p := name
				if path != "" {
					p = path + "." + name
				}
				stringFields(v.Field(i), p, fn)
			}
		}
	}
}

// personalDataFields returns the fields at fault for personal data in
// err or warnings.
func personalDataFields(fs []crossguard.FieldError) []string {
	var out []string
	for _, f := range fs {
		if f.PersonalData != nil {
			out = append(out, f.Field+":"+f.PersonalData.Kind)
		}
	}
	return out
}

// TestEveryFreeTextFieldIsScreened puts a CNIC into each string field of
// every kind of record that can leave the node, one at a time: each free-
// text field is refused with a personal-data error naming it, the
// structured fields are left to their own rules, and the valid examples
// pass untouched.
func TestEveryFreeTextFieldIsScreened(t *testing.T) {
	screened := 0
	for _, k := range screenedKinds() {
		t.Run(k.kind, func(t *testing.T) {
			if err := k.validate(k.example(t)); err != nil {
				t.Fatalf("the example is refused: %v", err)
			}
			var paths []string
			stringFields(reflect.ValueOf(k.example(t)), "", func(p string, _ reflect.Value) { paths = append(paths, p) })
			for _, p := range paths {
				if slices.Contains(structuredFields, p) {
					continue
				}
				rec := k.example(t)
				stringFields(reflect.ValueOf(rec), "", func(q string, v reflect.Value) {
					if q == p {
						v.SetString(pii)
					}
				})
				err := k.validate(rec)
				if got := personalDataFields(crossguard.ErrorFields(err)); !slices.Equal(got, []string{p + ":cnic"}) {
					t.Errorf("a CNIC in %s: personal data reported at %v (error %v), want %s", p, got, err, p)
				}
				screened++
			}
		})
	}
	if screened < 25 {
		t.Errorf("only %d free-text fields screened", screened)
	}
}

// TestPersonalDataErrorSaysWhatWhereAndInstead checks the field error:
// the kind, the offsets in characters, the masked value, and what to
// write instead, never the value itself.
func TestPersonalDataErrorSaysWhatWhereAndInstead(t *testing.T) {
	s := mustExample(t)
	s.Narrative = "Driver, née Ünal, CNIC 35202-1234567-1, phone +92 300 1234567."
	err := s.Validate(now)
	fs := crossguard.ErrorFields(err)
	if len(fs) != 2 {
		t.Fatalf("fields %+v, want the CNIC and the phone", fs)
	}
	cnic := fs[0]
	want := crossguard.FoundPersonalData{Kind: "cnic", Start: 23, End: 38, Masked: "3****-*******-*"}
	if cnic.Field != "narrative" || cnic.PersonalData == nil || *cnic.PersonalData != want {
		t.Fatalf("CNIC error %+v %+v, want narrative %+v", cnic, cnic.PersonalData, want)
	}
	if []rune(s.Narrative)[want.Start] != '3' || []rune(s.Narrative)[want.End-1] != '1' {
		t.Errorf("characters %d to %d are not the CNIC", want.Start, want.End)
	}
	for _, w := range []string{"Pakistani CNIC", "characters 23 to 38", "3****-*******-*", `"a Pakistani national"`} {
		if !strings.Contains(cnic.Message, w) {
			t.Errorf("message %q does not say %q", cnic.Message, w)
		}
	}
	for _, f := range fs {
		if strings.Contains(f.Message, "35202-1234567-1") || strings.Contains(f.Message, "300 1234567") {
			t.Errorf("message %q repeats the identifier", f.Message)
		}
	}
	if fs[1].PersonalData.Kind != "phone" {
		t.Errorf("second finding %+v, want the phone", fs[1].PersonalData)
	}
}

// TestLocalRecordsGetWarnings checks that a local seizure, annotation or
// profile with personal data in its free text is valid and warned
// about, and refused once its distribution lets it leave the node.
func TestLocalRecordsGetWarnings(t *testing.T) {
	type warned interface {
		Validate() error
		Warnings() []crossguard.FieldError
	}
	seizure := func(dist string) ([]crossguard.FieldError, error) {
		s := mustExample(t)
		s.Distribution, s.Recipients, s.Marking.TLP = dist, nil, crossguard.TLPAmber
		s.Narrative = pii
		return s.Warnings(), s.Validate(now)
	}
	other := func(r warned) ([]crossguard.FieldError, error) {
		return r.Warnings(), r.Validate()
	}
	for _, dist := range crossguard.Distributions {
		cases := map[string]func() ([]crossguard.FieldError, error){
			"seizure narrative": func() ([]crossguard.FieldError, error) { return seizure(dist) },
			"annotation text": func() ([]crossguard.FieldError, error) {
				a := screenedKinds()[len(screenedKinds())-1].example(t).(*crossguard.Annotation)
				a.Distribution, a.Text = dist, pii
				return other(a)
			},
			"profile description": func() ([]crossguard.FieldError, error) {
				p := storetest.NewProfile(1, "pk-customs/hq", now)
				p.Distribution, p.Recipients, p.Description = dist, nil, pii
				p.Marking.TLP = crossguard.TLPAmber
				return other(p)
			},
		}
		for name, c := range cases {
			warnings, err := c()
			if dist == crossguard.DistLocal {
				if err != nil || len(personalDataFields(warnings)) != 1 || !strings.Contains(warnings[0].Message, "local") {
					t.Errorf("%s, local: error %v, warnings %+v; want valid with one warning", name, err, warnings)
				}
				continue
			}
			if len(personalDataFields(crossguard.ErrorFields(err))) != 1 || len(warnings) != 0 {
				t.Errorf("%s, %s: error %v, warnings %+v; want refused", name, dist, err, warnings)
			}
		}
	}
}

// TestReceivedVersionsAreScreened checks the other door: a version of a
// registered kind received from a peer goes through the kind's Check,
// which screens its free text as a local write's validation does.
func TestReceivedVersionsAreScreened(t *testing.T) {
	for _, k := range screenedKinds() {
		rk, ok := crossguard.LookupRecordKind(k.kind)
		if !ok {
			continue // seizures, annotations and profiles: see federation's tests
		}
		rec := k.example(t)
		var h crossguard.Header
		stringFields(reflect.ValueOf(rec), "", func(p string, v reflect.Value) {
			switch p {
			case "text", "reason", "notes", "note", "outcome", "name", "title":
				v.SetString("call +86 138 0013 8000")
			}
		})
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &h); err != nil {
			t.Fatal(err)
		}
		_, err = rk.Check(b, &h)
		if got := personalDataFields(crossguard.ErrorFields(err)); len(got) == 0 || !strings.HasSuffix(got[0], ":phone") {
			t.Errorf("%s received with a phone number: %v (%v), want refused for personal data", k.kind, err, got)
		}
	}
}

// TestProfileConditionValuesAreScreened checks that a condition's value
// (a trader's code, a list of them) cannot carry a CNIC or an e-mail
// address, while codes pass.
func TestProfileConditionValuesAreScreened(t *testing.T) {
	p := storetest.NewProfile(1, "pk-customs/hq", now)
	p.Conditions = append(p.Conditions,
		crossguard.Condition{Field: "importer", Op: crossguard.OpIn, Value: json.RawMessage(`["IMP001", "3520212345671", "x@example.com"]`)})
	err := p.Validate()
	at := fmt.Sprintf("conditions[%d].value", len(p.Conditions)-1)
	want := []string{at + "[1]:cnic", at + "[2]:email"}
	if got := personalDataFields(crossguard.ErrorFields(err)); !slices.Equal(got, want) {
		t.Fatalf("personal data at %v (%v), want %v", got, err, want)
	}
}
