package crossguard_test

import (
	"encoding/json"
	"strings"
	"testing"

	"crossguard"
)

// TestDecodeRecord checks the rule by which received record versions are
// read: what a local write would refuse is refused with the path of the
// member at fault, and what an older or newer crossguard writes for the
// same fields (empty members it omits, numbers and escapes written
// otherwise) is read.
func TestDecodeRecord(t *testing.T) {
	const base = `{"id":"0193f1f2-7b1c-7cc0-9a4e-3c1d2e4f5a6b","kind":"annotation","origin":"pk-customs/sost","version":1,` +
		`"created_at":"2026-11-20T09:30:00Z","updated_at":"2026-11-20T09:30:00Z","distribution":"partners",` +
		`"marking":{"tlp":"amber","handling":"H1"},` +
		`"target":{"id":"0193f1f2-7b1c-7cc0-9a4e-3c1d2e4f5a6c","kind":"seizure","origin":"cn-customs/kashgar"},"text":"Same route."}`
	with := func(extra string) string { return strings.TrimSuffix(base, "}") + "," + extra + "}" }
	for _, c := range []struct {
		name, json string
		err        string // "" if it decodes
	}{
		{"as written", base, ""},
		{"indented and reordered", "{\n  \"text\": \"Same route.\",\n" + strings.TrimPrefix(strings.Replace(base, `,"text":"Same route."`, "", 1), "{"), ""},
		{"an omitted field given empty", with(`"recipients":[]`), ""},
		{"an omitted field given null", with(`"recipients":null`), ""},
		{"an omitted marking field given empty", strings.Replace(base, `"handling":"H1"`, `"handling":"H1","info_accuracy":""`, 1), ""},
		{"escapes written otherwise", strings.Replace(base, `Same route.`, `Same \u0072oute.`, 1), ""},
		{"a version written as a float", strings.Replace(base, `"version":1`, `"version":1.0`, 1), ""},
		{"an unknown top-level field", with(`"name":"Ali Khan"`), "unknown field name"},
		{"an unknown object", with(`"driver":{"name":"Ali Khan","passport":"AB1234567"}`), "unknown field driver"},
		{"an unknown empty field", with(`"driver":""`), `unknown field`},
		{"an unknown nested field", strings.Replace(base, `"origin":"cn-customs/kashgar"`, `"origin":"cn-customs/kashgar","owner":"Ali Khan"`, 1),
			"unknown field target.owner"},
		{"a key in another case", strings.Replace(base, `"text"`, `"Text"`, 1), "unknown field Text"},
		{"a key in another case, empty", with(`"Recipients":[]`), "unknown field Recipients"},
		{"a case-variant duplicate before", with(`"TEXT":"The driver Ali Khan"`), "unknown field TEXT"},
		{"a case-variant duplicate after", strings.Replace(base, `"text":"Same route."`, `"text":"The driver Ali Khan","tEXT":"Same route."`, 1),
			"unknown field tEXT"},
		{"a nested key in another case", strings.Replace(base, `"tlp":"amber"`, `"TLP":"amber"`, 1), "unknown field marking.TLP"},
		{"a duplicate key", with(`"text":"The driver Ali Khan"`), "duplicate object key"},
		{"a time written otherwise", strings.Replace(base, `"created_at":"2026-11-20T09:30:00Z"`, `"created_at":"2026-11-20T09:30:00.000Z"`, 1),
			"field created_at: the value is not what it decodes to"},
		{"data after the record", base + ` {}`, "canonjson"},
		{"a string for a number", strings.Replace(base, `"version":1`, `"version":"1"`, 1), "cannot unmarshal"},
		{"invalid UTF-8", strings.Replace(base, `Same`, "S\xffme", 1), "canonjson"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var a crossguard.Annotation
			err := crossguard.DecodeRecord([]byte(c.json), &a)
			switch {
			case c.err == "" && err != nil:
				t.Fatalf("DecodeRecord: %v", err)
			case c.err == "":
				if a.Text != "Same route." || a.Target.Origin != "cn-customs/kashgar" || a.Marking.TLP != "amber" {
					t.Fatalf("decoded %+v", a)
				}
			case err == nil || !strings.Contains(err.Error(), c.err):
				t.Fatalf("DecodeRecord: %v, want an error saying %q", err, c.err)
			}
		})
	}
}

// TestDecodeRecordEveryKind checks that a valid record of each registered
// kind decodes by the rule as its kind's Check reads it, and that an
// unknown field in it is refused by that Check.
func TestDecodeRecordEveryKind(t *testing.T) {
	for _, kind := range crossguard.ShareableKinds {
		k, ok := crossguard.LookupRecordKind(kind)
		if !ok {
			continue
		}
		t.Run(kind, func(t *testing.T) {
			h := &crossguard.Header{ID: "0193f1f2-7b1c-7cc0-9a4e-3c1d2e4f5a6b", Kind: kind}
			body, _ := json.Marshal(map[string]any{"id": h.ID, "kind": kind, "driver": map[string]string{"name": "Ali Khan"}})
			_, err := k.Check(body, h)
			if err == nil || !strings.Contains(err.Error(), "unknown field driver") {
				t.Fatalf("Check: %v, want the unknown field driver refused", err)
			}
		})
	}
}
