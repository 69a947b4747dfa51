package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/node"
	"crossguard/risk/decide"
	"crossguard/risk/model"
	"crossguard/storetest"
)

// trainCSV is the training split of the labelled customs declarations.
const trainCSV = "../testdata/customs-declarations/train.csv"

// labelledRows is how many rows of trainCSV the tests store and train on.
const labelledRows = 2000

// readLabelled reads the first labelledRows rows of trainCSV once.
var readLabelled = sync.OnceValues(func() ([]*crossguard.DeclarationEntry, error) {
	all, err := storetest.ReadDeclarationsCSV(trainCSV, testNow)
	if err != nil {
		return nil, err
	}
	if len(all) < labelledRows {
		return nil, fmt.Errorf("%s has %d rows, want at least %d", trainCSV, len(all), labelledRows)
	}
	return all[:labelledRows], nil
})

// mustLabelled returns copies of the first labelledRows labelled
// declarations of trainCSV, each with the inspection its label gives.
func mustLabelled(t testing.TB) []*crossguard.DeclarationEntry {
	t.Helper()
	rows, err := readLabelled()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*crossguard.DeclarationEntry, len(rows))
	for i, r := range rows {
		d, in := *r.Declaration, *r.Inspection
		out[i] = &crossguard.DeclarationEntry{Declaration: &d, ReceivedAt: r.ReceivedAt, Inspection: &in}
	}
	return out
}

// testModelFile is a small model trained on the labelled rows, as
// crossguard train writes it; trained once for every test.
var testModelFile = sync.OnceValues(func() ([]byte, error) {
	rows, err := readLabelled()
	if err != nil {
		return nil, err
	}
	ex := make([]model.Example, len(rows))
	for i, r := range rows {
		ex[i] = model.Example{Decl: r.Declaration, Label: r.Inspection.Label}
	}
	m, err := model.Train(context.Background(), ex, model.Options{Seed: 7, Trees: 30, MaxLeaves: 31})
	if err != nil {
		return nil, fmt.Errorf("train the test model: %w", err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
})

// mustModelFile returns testModelFile's bytes.
func mustModelFile(t testing.TB) []byte {
	t.Helper()
	b, err := testModelFile()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustSaveLabelled stores the labelled rows with their inspections, as
// crossguard import declarations does, so that the node can train.
func (e *testEnv) mustSaveLabelled(t testing.TB) {
	t.Helper()
	if err := e.store.SaveDeclarations(context.Background(), "test", mustLabelled(t), nil); err != nil {
		t.Fatalf("store labelled declarations: %v", err)
	}
}

// mustImportModel stores the test model as a new version through the
// node and returns its version.
func (e *testEnv) mustImportModel(t testing.TB) int64 {
	t.Helper()
	info, err := e.node.ImportModel(context.Background(), "test", mustModelFile(t), "test model")
	if err != nil {
		t.Fatalf("import model: %v", err)
	}
	return info.Version
}

// enableTargeting starts risk targeting without random selection, so that
// channels follow from the rules alone.
func (e *testEnv) enableTargeting(t testing.TB) {
	t.Helper()
	if err := e.node.EnableTargeting(context.Background(), decide.Config{RandomRate: -1, Seed: 1}); err != nil {
		t.Fatalf("enable targeting: %v", err)
	}
}

// riskBackends are the databases the risk tests run on. PostgreSQL runs
// when CROSSGUARD_TEST_POSTGRES is set and is skipped otherwise (failed in
// CI).
var riskBackends = []struct {
	name string
	open func(testing.TB) crossguard.Store
}{
	{"sqlite", openSQLite},
	{"postgres", fedtest.Postgres},
}

// forEachBackend runs fn as a parallel subtest per database, each with a
// fresh environment whose targeting has no random selection.
func forEachBackend(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	t.Helper()
	for _, b := range riskBackends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnvOn(t, b.open(t))
			e.enableTargeting(t)
			fn(t, e)
		})
	}
}

// baseDeclaration is a declaration of the training file's layout, with a
// container and the crossing point.
var baseDeclaration = map[string]any{
	"declaration_id": "97061800", "date": "2026-11-27", "office_id": 30, "process_type": "B",
	"import_type": 11, "import_use": 21, "payment_type": 11, "mode_of_transport": 10,
	"declarant_id": "ZZR1LT6", "importer_id": "QLRUBN9", "seller_id": "0VKY2BR", "courier_id": "",
	"hs6_code": "440890", "country_of_departure": "BE", "country_of_origin": "BE",
	"tax_rate": 0.0, "tax_type": "FEU1", "country_of_origin_indicator": "G",
	"net_mass": 108.0, "item_price": 372254.4,
	"identifiers": []map[string]string{{"type": "container", "value": "MSKU1234565"}},
	"crossing":    "sost",
}

// declarationMap returns baseDeclaration with id and the fields of edit
// (a nil value removes the field).
func declarationMap(id string, edit map[string]any) map[string]any {
	m := maps.Clone(baseDeclaration)
	m["declaration_id"] = id
	for k, v := range edit {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

// declarationJSON returns declarationMap's JSON.
func declarationJSON(t testing.TB, id string, edit map[string]any) string {
	t.Helper()
	return mustJSON(t, declarationMap(id, edit))
}

// mustJSON encodes v.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// opiumProfileJSON is the example profile of the issue.
const opiumProfileJSON = `{"name": "Opium alkaloids declared cheap", "channel": "red", "score": 0.9,
 "conditions": [{"field": "hs6_code", "op": "prefix", "value": "2939"},
                {"field": "value_per_kg", "op": "lt", "value": 50}],
 "valid_from": "2026-11-01", "valid_to": "2027-05-01",
 "distribution": "partners", "marking": {"tlp": "amber", "handling": "H1"}}`

// cheapOpium and dearOpium are edits of baseDeclaration that the opium
// profile selects (10 per kg) and does not (1,000 per kg).
var (
	cheapOpium = map[string]any{"hs6_code": "293911", "net_mass": 100.0, "item_price": 1000.0}
	dearOpium  = map[string]any{"hs6_code": "293911", "net_mass": 100.0, "item_price": 100000.0}
)

// watchJSON is a watch-list entry for a container.
const watchJSON = `{"identifier": {"type": "container", "value": "CSQU3054383"}, "channel": "yellow",
 "reason": "partner warning: heroin in false floors", "expires_at": "2027-01-01T00:00:00Z"}`

// mustCreateProfile stores the opium profile through the node.
func (e *testEnv) mustCreateProfile(t testing.TB) *node.ProfileView {
	t.Helper()
	var p crossguard.Profile
	if err := json.Unmarshal([]byte(opiumProfileJSON), &p); err != nil {
		t.Fatal(err)
	}
	out, err := e.node.CreateProfile(context.Background(), "test", &p)
	if err != nil {
		t.Fatalf("create profile: %v", err)
	}
	return out
}

// mustReceiveProfile stores profile i of storetest.PeerA (which must be a
// peer) as received in a page that takes the peer's cursor to cursor.
func (e *testEnv) mustReceiveProfile(t testing.TB, i int, cursor int64) *crossguard.Profile {
	t.Helper()
	p := storetest.NewProfile(i, storetest.PeerA, testNow.Add(-24*time.Hour))
	e.mustReceive(t, storetest.PeerA, cursor, cursor, storetest.IncomingProfile(p))
	return p
}

// mustWatch adds watchJSON's entry through the node.
func (e *testEnv) mustWatch(t testing.TB) *crossguard.WatchEntry {
	t.Helper()
	var in watchInput
	if err := json.Unmarshal([]byte(watchJSON), &in); err != nil {
		t.Fatal(err)
	}
	out, err := e.node.AddWatch(context.Background(), "test", &crossguard.WatchEntry{
		Identifier: in.Identifier, Channel: in.Channel, Reason: in.Reason, ExpiresAt: in.ExpiresAt})
	if err != nil {
		t.Fatalf("add watch-list entry: %v", err)
	}
	return out
}

// mustDecideOne stores a declaration through the node and returns its
// decision.
func (e *testEnv) mustDecideOne(t testing.TB, id string, edit map[string]any) *crossguard.Decision {
	t.Helper()
	var d crossguard.Declaration
	if err := json.Unmarshal([]byte(declarationJSON(t, id, edit)), &d); err != nil {
		t.Fatal(err)
	}
	out, err := e.node.Decide(context.Background(), "test", []*crossguard.Declaration{&d})
	if err != nil {
		t.Fatalf("decide %s: %v", id, err)
	}
	return out[0]
}

// decide posts one declaration as an officer and returns its decision.
func (e *testEnv) decide(t testing.TB, id string, edit map[string]any) *crossguard.Decision {
	t.Helper()
	var d crossguard.Decision
	e.do(t, request{Method: "POST", Path: "/api/v1/declarations", Token: e.tokens[crossguard.RoleOfficer],
		Body: declarationJSON(t, id, edit)}).want(t, 200).decode(t, &d)
	return &d
}

// reasonsOf returns the reasons of a decision of type typ.
func reasonsOf(d *crossguard.Decision, typ string) []crossguard.Reason {
	var out []crossguard.Reason
	for _, r := range d.Reasons {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}
