package federation_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
	"crossguard/node"
)

// personCase is a record version a hostile partner signs with its own key
// after adding fields that carry person data to a valid record.
type personCase struct {
	name   string
	kind   string               // the kind of the valid record it starts from
	edit   func(map[string]any) // adds the person data
	reason string               // what the refusal must say
	// raw, if set, replaces the JSON encoding of the edited record (for
	// JSON that encoding/json cannot produce, such as duplicate keys).
	raw func(record []byte) []byte
	// tomb starts from the tombstone of the record rather than the record.
	tomb bool
}

// driver is person data a hostile partner slips into a record.
var driver = map[string]any{"name": "Ali Khan", "passport": "AB1234567", "date_of_birth": "1980-02-03"}

// personCases covers every kind a node stores (seizure, annotation,
// profile and every registered kind) and tombstones, with person data at
// the top level, nested in objects and in array elements, and under keys
// that differ from a field's only in case.
func personCases() []personCase {
	set := func(path ...string) func(v any) func(map[string]any) {
		return func(v any) func(map[string]any) {
			return func(m map[string]any) {
				var cur any = m
				for _, p := range path[:len(path)-1] {
					switch c := cur.(type) {
					case map[string]any:
						cur = c[p]
					case []any:
						cur = c[0]
					}
				}
				cur.(map[string]any)[path[len(path)-1]] = v
			}
		}
	}
	cases := []personCase{
		{name: "seizure with a driver", kind: crossguard.KindSeizure, edit: set("driver")(driver), reason: "unknown field driver"},
		{name: "seizure with a top-level name", kind: crossguard.KindSeizure, edit: set("name")("Ali Khan"), reason: "unknown field name"},
		{name: "seizure with a passport in a goods line", kind: crossguard.KindSeizure, edit: set("goods", "0", "passport")("AB1234567"),
			reason: "unknown field goods[0].passport"},
		{name: "seizure with a person in its place", kind: crossguard.KindSeizure, edit: set("place", "driver")(driver),
			reason: "unknown field place.driver"},
		{name: "seizure with a person in its route", kind: crossguard.KindSeizure, edit: set("route", "courier_name")("Ali Khan"),
			reason: "unknown field route.courier_name"},
		{name: "seizure with a person in an identifier", kind: crossguard.KindSeizure, edit: set("identifiers", "0", "owner")("Ali Khan"),
			reason: "unknown field identifiers[0].owner"},
		{name: "seizure with a case-variant narrative", kind: crossguard.KindSeizure,
			edit: set("Narrative")("The driver Ali Khan, passport AB1234567"), reason: "unknown field Narrative"},
		{name: "seizure with a case-variant key only", kind: crossguard.KindSeizure, edit: func(m map[string]any) {
			m["CONVEYANCE"] = "Truck of Ali Khan"
			delete(m, "conveyance")
		}, reason: "unknown field CONVEYANCE"},
		{name: "seizure with a duplicate key", kind: crossguard.KindSeizure, raw: func(b []byte) []byte {
			return []byte(`{"narrative":"The driver Ali Khan",` + string(b[1:]))
		}, reason: "duplicate"},
		{name: "annotation with an author", kind: crossguard.KindAnnotation, edit: set("author")(driver), reason: "unknown field author"},
		{name: "annotation with a person in its target", kind: crossguard.KindAnnotation, edit: set("target", "suspect")("Ali Khan"),
			reason: "unknown field target.suspect"},
		{name: "profile with a person", kind: crossguard.KindProfile, edit: set("name_of_informant")("Ali Khan"),
			reason: "unknown field name_of_informant"},
		{name: "profile with a person in a condition", kind: crossguard.KindProfile, edit: set("conditions", "0", "driver")(driver),
			reason: "unknown field conditions[0].driver"},
		{name: "profile with a person as a condition's value", kind: crossguard.KindProfile, edit: set("conditions", "0", "value")(driver),
			reason: "conditions[0].value"},
		{name: "profile with a case-variant marking", kind: crossguard.KindProfile, edit: set("marking", "TLP")("red"),
			reason: "unknown field marking.TLP"},
		{name: "tombstone with a name", kind: crossguard.KindSeizure, tomb: true, edit: set("name")("Ali Khan"),
			reason: "unknown field name"},
		{name: "tombstone with a driver", kind: crossguard.KindWarning, tomb: true, edit: set("driver")(driver),
			reason: "unknown field driver"},
	}
	nested := map[string][]string{
		crossguard.KindWarning:   {"window", "driver"},
		crossguard.KindFeedback:  {"inspector"},
		crossguard.KindOperation: {"focus", "informant"},
		crossguard.KindMessage:   {"author_name"},
		crossguard.KindAgreement: {"commitments", "0", "contact_person"},
		crossguard.KindProgress:  {"reported_by"},
		crossguard.KindActivity:  {"visit", "lead_name"},
	}
	for _, kind := range registeredKinds() {
		cases = append(cases, personCase{name: kind + " with a driver", kind: kind, edit: set("driver")(driver), reason: "unknown field driver"})
		path := nested[kind]
		cases = append(cases, personCase{name: kind + " with a nested person", kind: kind, edit: set(path...)(driver),
			reason: "unknown field " + fieldPath(path)})
	}
	return cases
}

// fieldPath writes a path of personCases as a refusal names it.
func fieldPath(path []string) string {
	var b strings.Builder
	for i, p := range path {
		switch {
		case p == "0":
			b.WriteString("[0]")
		case i > 0:
			b.WriteString("." + p)
		default:
			b.WriteString(p)
		}
	}
	return b.String()
}

// registeredKinds returns the kinds registered with
// crossguard.RegisterRecordKind.
func registeredKinds() []string {
	var out []string
	for _, k := range crossguard.ShareableKinds {
		if _, ok := crossguard.LookupRecordKind(k); ok {
			out = append(out, k)
		}
	}
	return out
}

// personFixture returns a new valid record of kind, of origin, shared on
// the network with pk-customs and cn-customs at TLP:AMBER: one that
// origin could have written and the victim may receive.
func personFixture(t *testing.T, kind, origin string) any {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	h := crossguard.Header{ID: node.NewUUIDv7(), Kind: kind, Origin: origin, Version: 1, CreatedAt: now, UpdatedAt: now,
		Distribution: crossguard.DistNetwork, Recipients: []string{"cn-customs", "pk-customs"},
		Marking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}}
	day := now.Format(time.DateOnly)
	switch kind {
	case crossguard.KindSeizure:
		s := sampleSeizure(crossguard.DistNetwork, crossguard.TLPAmber, "cn-customs", "pk-customs")
		s.Header = h
		s.Normalize()
		s.Narrative = "Heroin in a false floor of the trailer."
		s.Conveyance = "Truck"
		if len(s.Identifiers) == 0 {
			s.Identifiers = []crossguard.Identifier{{Type: "container", Value: "CSQU3054383"}}
		}
		return s
	case crossguard.KindAnnotation:
		return &crossguard.Annotation{Header: h, Target: crossguard.RecordRef{ID: node.NewUUIDv7(), Kind: crossguard.KindSeizure,
			Origin: "pk-customs/hq"}, Text: "Same concealment as last month's seizure at Sost."}
	case crossguard.KindProfile:
		h.Recipients = nil
		return &crossguard.Profile{Header: h, Name: "Opium alkaloids declared cheap", Channel: crossguard.ChannelRed, Score: 0.9,
			Conditions: []crossguard.Condition{{Field: "hs6_code", Op: crossguard.OpPrefix, Value: json.RawMessage(`"2939"`)}},
			ValidFrom:  "2026-11-01", Owner: "Risk management unit"}
	case crossguard.KindOperation:
		return &crossguard.Operation{Header: h, Name: "Karakoram Spring", Participants: []string{"cn-customs", "pk-customs"},
			StartsAt: now.Add(-time.Hour), EndsAt: now.AddDate(0, 1, 0),
			Focus: crossguard.OperationFocus{Categories: []string{"narcotics"}, HSPrefixes: []string{"1211"},
				Routes: [][]string{{"AF", "PK", "CN"}}, Crossings: []string{"Sost"}}}
	case crossguard.KindWarning:
		return &crossguard.Warning{Header: h, Operation: node.NewUUIDv7(),
			Identifiers:      []crossguard.Identifier{{Type: "container", Value: "CSQU3054383"}},
			ExpectedCrossing: "Sost", Window: crossguard.WarningWindow{From: now, To: now.Add(24 * time.Hour)},
			Reason: "Same route as the seizure of last week.", SuggestedChannel: crossguard.ChannelRed}
	case crossguard.KindFeedback:
		return &crossguard.Feedback{Header: h, Warning: node.NewUUIDv7(), Operation: node.NewUUIDv7(),
			Result: crossguard.FeedbackInspectedNothingFound, Notes: "X-ray and a search of the trailer."}
	case crossguard.KindMessage:
		return &crossguard.Message{Header: h, Operation: node.NewUUIDv7(), Text: "Teams at Sost from 06:00."}
	case crossguard.KindAgreement:
		return &crossguard.Agreement{Header: h, Title: "Karakoram cooperation", Parties: []string{"cn-customs", "pk-customs"},
			SignedOn: day, Commitments: []crossguard.Commitment{{ID: "ex-1", Type: crossguard.CommitmentExercise,
				Title: "Joint exercise at Sost", Owner: "pk-customs", Due: day}}}
	case crossguard.KindProgress:
		return &crossguard.Progress{Header: h, Agreement: node.NewUUIDv7(), Commitment: "ex-1", Status: crossguard.StatusInProgress,
			Note: "Planning meeting held.", ReportedAt: now}
	case crossguard.KindActivity:
		return &crossguard.Activity{Header: h, Type: crossguard.ActivityVisit, Title: "Delegation to Kashgar", StartsOn: day, EndsOn: day,
			Place: "Kashgar", Agencies: []string{"cn-customs", "pk-customs"}, Status: crossguard.StatusPlanned,
			Visit: &crossguard.Visit{DelegationSize: 4, LeadTitle: "Deputy Collector", Itinerary: []string{"Kashgar"}}}
	}
	t.Fatalf("no fixture of kind %s", kind)
	return nil
}

// headerOf returns the header of a fixture.
func headerOf(t *testing.T, v any) crossguard.Header {
	t.Helper()
	var h crossguard.Header
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

// signPersonCase returns the signed record of c, started from a new
// fixture of origin and signed with key, and its id.
func signPersonCase(t *testing.T, c personCase, origin string, key ed25519.PrivateKey) (string, *crossguard.SignedRecord) {
	t.Helper()
	v := personFixture(t, c.kind, origin)
	h := headerOf(t, v)
	if c.tomb {
		h.Version = 2
		v = struct {
			crossguard.Header
			Deleted bool `json:"deleted"`
		}{h, true}
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if c.edit != nil {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		c.edit(m)
		if b, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
	}
	if c.raw != nil {
		// Signed as is: Sign would canonicalize (and refuse) it.
		b = c.raw(b)
		return h.ID, &crossguard.SignedRecord{Record: b, Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, b))}
	}
	sr, err := federation.Sign(key, b)
	if err != nil {
		t.Fatal(err)
	}
	return h.ID, sr
}

// TestHostilePeerPersonData has a hostile partner serve, signed with its
// own key, versions of every kind carrying person data in fields no
// record has: the victim refuses each with a reason naming the field, in
// its audit log and in the peer's status, stores nothing of it and relays
// nothing of it to a node of its own agency. The same records without the
// person data are stored and relayed, so that the refusals are the
// fields' doing.
func TestHostilePeerPersonData(t *testing.T) {
	runHostilePersonData(t, fedtest.SQLite)
}

// TestHostilePeerPersonDataPostgres runs the same with the victim on
// PostgreSQL.
func TestHostilePeerPersonDataPostgres(t *testing.T) {
	testenv.PostgresURL(t)
	runHostilePersonData(t, fedtest.Postgres)
}

func runHostilePersonData(t *testing.T, open fedtest.Opener) {
	w := newHostileWorldOn(t, open, false)
	v, evil := w.victim, w.evil
	down := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/post")
	fedtest.Link(v, down, fedtest.All)
	_, err := down.Node.PutPeer(t.Context(), "test", &crossguard.Peer{Card: evil.card, Relationship: crossguard.RelPartner,
		Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
	if err != nil {
		t.Fatal(err)
	}

	// Clean records of every kind, and a clean tombstone, go through.
	var clean []federation.Item
	var cleanIDs []string
	kinds := append([]string{crossguard.KindSeizure, crossguard.KindAnnotation, crossguard.KindProfile}, registeredKinds()...)
	for _, kind := range kinds {
		id, sr := signPersonCase(t, personCase{kind: kind}, evil.id, evil.key)
		clean, cleanIDs = append(clean, recordItem(sr)), append(cleanIDs, id)
	}
	_, tomb := signPersonCase(t, personCase{kind: crossguard.KindMessage, tomb: true}, evil.id, evil.key)
	clean = append(clean, recordItem(tomb))
	evil.serveItems(clean...)
	res, err := w.pull(t)
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	if res.Applied != len(clean) || res.Refused != 0 {
		t.Fatalf("clean records: %+v, want all %d applied; status: %s", res, len(clean), w.evilStatus(t).Status.LastError)
	}
	fedtest.Sync(t, 5, v, down)
	held := down.Holds()
	for _, id := range cleanIDs {
		if h, ok := held[id]; !ok || h.Origin != evil.id {
			t.Fatalf("the downstream node does not hold the clean record %s", id)
		}
	}

	var refusedIDs []string
	for _, c := range personCases() {
		t.Run(c.name, func(t *testing.T) {
			id, sr := signPersonCase(t, c, evil.id, evil.key)
			refusedIDs = append(refusedIDs, id)
			peer := w.evilStatus(t)
			seq, audit := w.head(t), auditHead(t, v)
			evil.serveItems(recordItem(sr))
			res, err := w.pull(t)
			if err != nil {
				t.Fatalf("pull: %v", err)
			}
			if res.Applied != 0 || res.Refused != 1 {
				t.Fatalf("pull %+v, want the version refused", res)
			}
			if got := w.changedSince(t, seq); len(got) != 0 {
				t.Fatalf("records changed: %v", got)
			}
			after := w.evilStatus(t)
			if !strings.Contains(after.Status.LastError, c.reason) || after.Status.Refused != peer.Status.Refused+1 {
				t.Errorf("status says %q (refused %d→%d), want %q", after.Status.LastError, peer.Status.Refused, after.Status.Refused, c.reason)
			}
			refusals := auditSince(t, v, audit, crossguard.ActionFedRefuse)
			if len(refusals) != 1 || refusals[0].RecordID != id || !strings.Contains(refusals[0].Detail, c.reason) {
				t.Fatalf("federation.refuse entries %+v, want one of %s saying %q", refusals, id, c.reason)
			}
			t.Logf("refused: %s", refusals[0].Detail)
		})
	}
	fedtest.Sync(t, 5, v, down)
	for _, id := range refusedIDs {
		if c := changeOf(t, v, id); c != nil {
			t.Errorf("the victim holds %s (%s)", id, c.State)
		}
		if c := changeOf(t, down, id); c != nil {
			t.Errorf("the downstream node received %s (%s)", id, c.State)
		}
	}
}
