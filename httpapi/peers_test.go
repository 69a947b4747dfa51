package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// mustAddPeer adds a peer through the node, as the command line does.
func (e *testEnv) mustAddPeer(t testing.TB, p *crossguard.Peer) {
	t.Helper()
	if _, err := e.node.PutPeer(context.Background(), "test", p); err != nil {
		t.Fatalf("add peer %s: %v", p.Card.ID, err)
	}
}

// mustReceive applies a page from peer holding records, after which the
// peer's cursor is cursor and its head head, as if the federation layer
// had pulled and checked it (the store does not check signatures).
func (e *testEnv) mustReceive(t testing.TB, peer string, cursor, head int64, records ...*crossguard.Incoming) {
	t.Helper()
	p := &crossguard.InboundPage{Peer: peer, Records: records, Cursor: cursor, RemoteHead: head, At: testNow}
	res, err := e.store.ApplyPage(context.Background(), p)
	if err != nil {
		t.Fatalf("apply a page from %s: %v", peer, err)
	}
	if res.Applied != len(records) || len(res.Refused) != 0 {
		t.Fatalf("page from %s: %d applied, refused %v; want %d applied", peer, res.Applied, res.Refused, len(records))
	}
}

// peerBody returns the JSON body of POST /api/v1/peers for p.
func peerBody(t testing.TB, p *crossguard.Peer) string {
	t.Helper()
	b, err := json.Marshal(peerInput{Card: p.Card, Relationship: p.Relationship, Kinds: p.Kinds, MaxTLP: p.MaxTLP, OriginOnly: p.OriginOnly})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// apiPeer is a peer as the API answers it.
type apiPeer struct {
	crossguard.Peer
	OriginOnly    *bool  `json:"origin_only"`
	RecordsBehind *int64 `json:"records_behind"`
}

// listPeersOf answers GET /api/v1/peers as admin.
func (e *testEnv) listPeersOf(t testing.TB) []apiPeer {
	t.Helper()
	var got struct{ Items []apiPeer }
	res := e.do(t, request{Method: "GET", Path: "/api/v1/peers", Token: e.tokens[crossguard.RoleAdmin]}).want(t, http.StatusOK)
	res.decode(t, &got)
	if got.Items == nil {
		t.Fatalf("items is not an array: %s", res.Body)
	}
	return got.Items
}

// TestPeers adds, lists, changes and removes peers through the API.
func TestPeers(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	admin := e.tokens[crossguard.RoleAdmin]
	if got := e.listPeersOf(t); len(got) != 0 {
		t.Fatalf("a new node lists peers %v", got)
	}

	partner := storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow)
	partner.Kinds = []string{crossguard.KindSeizure, crossguard.KindAnnotation, crossguard.KindSeizure}
	res := e.do(t, request{Method: "POST", Path: "/api/v1/peers", Token: admin, Body: peerBody(t, partner)}).want(t, http.StatusCreated)
	var added apiPeer
	res.decode(t, &added)
	switch {
	case added.Card != partner.Card:
		t.Fatalf("card %+v, want %+v", added.Card, partner.Card)
	case added.Relationship != crossguard.RelPartner || added.MaxTLP != crossguard.TLPAmber:
		t.Fatalf("policy %s %s", added.Relationship, added.MaxTLP)
	case !slices.Equal(added.Kinds, []string{crossguard.KindAnnotation, crossguard.KindSeizure}):
		t.Fatalf("kinds %v, want them sorted and without duplicates", added.Kinds)
	case !added.AddedAt.Equal(testNow):
		t.Fatalf("added_at %v, want the node clock %v", added.AddedAt, testNow)
	case added.OriginOnly == nil || *added.OriginOnly:
		t.Fatalf("origin_only missing or true: %s", res.Body)
	case added.RecordsBehind == nil || *added.RecordsBehind != 0 || added.Status != (crossguard.PeerStatus{}):
		t.Fatalf("a new peer has status %+v, records_behind %v: %s", added.Status, added.RecordsBehind, res.Body)
	}
	for _, key := range []string{`"last_exchange":null`, `"last_error":""`, `"last_served_at":null`, `"cursor":0`} {
		if !strings.Contains(string(res.Body), key) {
			t.Errorf("peer body lacks %s: %s", key, res.Body)
		}
	}

	// A peer of the same agency, added long ago through the store, and a
	// page received from it.
	post := storetest.NewPeer(storetest.PeerB, crossguard.RelAgency, testNow.Add(-48*time.Hour))
	if err := e.store.PutPeer(context.Background(), "test", post, post.AddedAt); err != nil {
		t.Fatal(err)
	}
	s := storetest.ForeignSeizure(1, testNow.Add(-24*time.Hour), storetest.PeerB, 1)
	e.mustReceive(t, storetest.PeerB, 3, 10, storetest.IncomingSeizure(s))

	t.Run("status", func(t *testing.T) {
		peers := e.listPeersOf(t)
		var ids []string
		for _, p := range peers {
			ids = append(ids, p.Card.ID)
		}
		if want := []string{storetest.PeerA, storetest.PeerB}; !slices.Equal(ids, want) {
			t.Fatalf("peers %v, want %v", ids, want)
		}
		st := peers[1].Status
		if st.Cursor != 3 || st.RemoteHead != 10 || st.Received != 1 || st.LastExchange == nil || !st.LastExchange.Equal(testNow) {
			t.Fatalf("status %+v, want cursor 3, head 10, 1 received, last exchange %v", st, testNow)
		}
		if peers[1].RecordsBehind == nil || *peers[1].RecordsBehind != 7 {
			t.Fatalf("records_behind %v, want 7", peers[1].RecordsBehind)
		}
	})

	t.Run("policy change", func(t *testing.T) {
		changed := *post
		changed.Kinds = []string{crossguard.KindSeizure}
		changed.MaxTLP = crossguard.TLPGreen
		changed.Card.Name = "Customs node torkham (renamed)"
		res := e.do(t, request{Method: "POST", Path: "/api/v1/peers", Token: admin, Body: peerBody(t, &changed)}).want(t, http.StatusOK)
		var got apiPeer
		res.decode(t, &got)
		switch {
		case got.MaxTLP != crossguard.TLPGreen || !slices.Equal(got.Kinds, []string{crossguard.KindSeizure}):
			t.Fatalf("policy after the change: %s %v", got.MaxTLP, got.Kinds)
		case got.Card.Name != changed.Card.Name:
			t.Fatalf("card name %q, want %q", got.Card.Name, changed.Card.Name)
		case !got.AddedAt.Equal(post.AddedAt):
			t.Fatalf("added_at %v, want the first addition %v kept", got.AddedAt, post.AddedAt)
		case got.Status.Cursor != 3 || got.Status.Received != 1 || *got.RecordsBehind != 7:
			t.Fatalf("status %+v not kept", got.Status)
		}
		listed := e.listPeersOf(t)[1]
		if listed.MaxTLP != crossguard.TLPGreen {
			t.Fatalf("listed max_tlp %s after the change", listed.MaxTLP)
		}
		if n := e.auditCount(t, crossguard.RoleAdmin, crossguard.ActionPeerAdd); n != 2 {
			t.Fatalf("%d peer.add entries by admin, want 2 (the addition and the change)", n)
		}
	})

	t.Run("same id with another key", func(t *testing.T) {
		other := storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow)
		other.Card.PublicKey = storetest.NewPeer("af-customs/other", crossguard.RelPartner, testNow).Card.PublicKey
		d := e.do(t, request{Method: "POST", Path: "/api/v1/peers", Token: admin, Body: peerBody(t, other)}).
			wantError(t, http.StatusConflict, "conflict", "")
		if !strings.Contains(d.Message, "another public key") {
			t.Fatalf("message %q does not say the key differs", d.Message)
		}
	})

	t.Run("remove", func(t *testing.T) {
		e.do(t, request{Method: "DELETE", Path: "/api/v1/peers/" + storetest.PeerA, Token: admin}).want(t, http.StatusNoContent)
		peers := e.listPeersOf(t)
		if len(peers) != 1 || peers[0].Card.ID != storetest.PeerB {
			t.Fatalf("peers after removing %s: %v", storetest.PeerA, peers)
		}
		if n := e.auditCount(t, crossguard.RoleAdmin, crossguard.ActionPeerRemove); n != 1 {
			t.Fatalf("%d peer.remove entries by admin, want 1", n)
		}
		d := e.do(t, request{Method: "DELETE", Path: "/api/v1/peers/" + storetest.PeerA, Token: admin}).wantError(t, http.StatusNotFound, "not_found", "")
		if !strings.Contains(d.Message, storetest.PeerA) {
			t.Fatalf("message %q does not name the peer", d.Message)
		}
	})

	t.Run("unknown peer", func(t *testing.T) {
		for _, path := range []string{"/api/v1/peers/cn-customs/tashkurgan", "/api/v1/peers/NOT%20AN/ID"} {
			e.do(t, request{Method: "DELETE", Path: path, Token: admin}).wantError(t, http.StatusNotFound, "not_found", "")
		}
	})

	t.Run("forbidden", func(t *testing.T) {
		for _, role := range []string{crossguard.RoleAnalyst, crossguard.RoleOfficer, crossguard.RoleAuditor} {
			body := peerBody(t, storetest.NewPeer("cn-customs/tashkurgan", crossguard.RelPartner, testNow))
			e.do(t, request{Method: "POST", Path: "/api/v1/peers", Token: e.tokens[role], Body: body}).wantError(t, http.StatusForbidden, "forbidden", "")
			e.do(t, request{Method: "GET", Path: "/api/v1/peers", Token: e.tokens[role]}).wantError(t, http.StatusForbidden, "forbidden", "")
			e.do(t, request{Method: "DELETE", Path: "/api/v1/peers/" + storetest.PeerB, Token: e.tokens[role]}).wantError(t, http.StatusForbidden, "forbidden", "")
		}
		if peers := e.listPeersOf(t); len(peers) != 1 || peers[0].Card.ID != storetest.PeerB {
			t.Fatalf("peers after refused requests: %v", peers)
		}
	})
}

// TestPeerErrors checks that each bad body of POST /api/v1/peers is
// refused with the fields at fault, and nothing is stored.
func TestPeerErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	admin := e.tokens[crossguard.RoleAdmin]
	good := func() *crossguard.Peer {
		return storetest.NewPeer("cn-customs/tashkurgan", crossguard.RelPartner, testNow)
	}
	cases := []struct {
		name   string
		edit   func(p *crossguard.Peer)
		body   string // used instead of the edited peer when set
		status int
		code   string
		fields []string
		msg    string // in the message when set
	}{
		{name: "empty card", edit: func(p *crossguard.Peer) { p.Card = crossguard.NodeCard{} }, status: 400, code: "invalid",
			fields: []string{"card.id", "card.name", "card.protocol", "card.public_key", "card.url"}},
		{name: "id not agency/node", edit: func(p *crossguard.Peer) { p.Card.ID = "tashkurgan" }, status: 400, code: "invalid", fields: []string{"card.id"}},
		{name: "agency not the id's", edit: func(p *crossguard.Peer) { p.Card.Agency = "af-customs" }, status: 400, code: "invalid", fields: []string{"card.agency"}},
		{name: "plain http url", edit: func(p *crossguard.Peer) { p.Card.URL = "http://example.org:7443" }, status: 400, code: "invalid", fields: []string{"card.url"}},
		{name: "key not base64", edit: func(p *crossguard.Peer) { p.Card.PublicKey = "not a key!" }, status: 400, code: "invalid", fields: []string{"card.public_key"}},
		{name: "key too short", edit: func(p *crossguard.Peer) { p.Card.PublicKey = "AAAA" }, status: 400, code: "invalid", fields: []string{"card.public_key"}},
		{name: "unknown relationship", edit: func(p *crossguard.Peer) { p.Relationship = "friend" }, status: 400, code: "invalid", fields: []string{"relationship"}},
		{name: "agency relationship with a partner", edit: func(p *crossguard.Peer) { p.Relationship = crossguard.RelAgency }, status: 400, code: "invalid", fields: []string{"relationship"}},
		{name: "no kinds", edit: func(p *crossguard.Peer) { p.Kinds = nil }, status: 400, code: "invalid", fields: []string{"kinds"}},
		{name: "unknown kind", edit: func(p *crossguard.Peer) { p.Kinds = []string{"seizure", "declaration"} }, status: 400, code: "invalid", fields: []string{"kinds"}},
		{name: "no max_tlp", edit: func(p *crossguard.Peer) { p.MaxTLP = "" }, status: 400, code: "invalid", fields: []string{"max_tlp"}},
		{name: "several at once", edit: func(p *crossguard.Peer) { p.Card.URL, p.MaxTLP, p.Kinds = "", "white", nil }, status: 400, code: "invalid",
			fields: []string{"card.url", "kinds", "max_tlp"}},
		{name: "newer protocol", edit: func(p *crossguard.Peer) { p.Card.Protocol = crossguard.ProtocolVersion + 1 }, status: 400, code: "invalid", msg: "upgrade"},
		{name: "own card", edit: func(p *crossguard.Peer) {
			p.Card = e.node.Card()
			p.Card.URL, p.Card.PublicKey = "https://127.0.0.1:8443", good().Card.PublicKey
			p.Relationship = crossguard.RelAgency
		}, status: 400, code: "invalid", msg: "this node's own"},
		{name: "unknown field", body: `{"card": {}, "relationship": "partner", "kinds": ["seizure"], "max_tlp": "amber", "status": {}}`,
			status: 400, code: "invalid", fields: []string{"status"}},
		{name: "unknown card field", body: `{"card": {"fingerprint": "x"}, "relationship": "partner", "kinds": ["seizure"], "max_tlp": "amber"}`,
			status: 400, code: "invalid", fields: []string{"card.fingerprint"}},
		{name: "kinds not an array", body: `{"card": {}, "relationship": "partner", "kinds": "seizure", "max_tlp": "amber"}`,
			status: 400, code: "invalid", fields: []string{"kinds"}},
		{name: "malformed JSON", body: `{"card": `, status: 400, code: "invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == "" {
				p := good()
				tc.edit(p)
				body = peerBody(t, p)
			}
			d := e.do(t, request{Method: "POST", Path: "/api/v1/peers", Token: admin, Body: body}).wantError(t, tc.status, tc.code, "")
			var got []string
			for _, f := range d.Fields {
				if !slices.Contains(got, f.Field) {
					got = append(got, f.Field)
				}
			}
			slices.Sort(got)
			if tc.fields != nil && !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v; %+v", got, tc.fields, d)
			}
			if tc.msg != "" && !strings.Contains(d.Message, tc.msg) {
				t.Fatalf("message %q lacks %q", d.Message, tc.msg)
			}
		})
	}
	if peers := e.listPeersOf(t); len(peers) != 0 {
		t.Fatalf("refused bodies stored peers %v", peers)
	}
}

// TestPeerRemovePurge removes a peer with ?purge=true: the copy it alone
// sent goes, with a peer.purge entry, and the answer counts it; without
// the option a removed peer's copies stay.
func TestPeerRemovePurge(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	admin := e.tokens[crossguard.RoleAdmin]
	e.mustAddPeer(t, storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow))
	e.mustAddPeer(t, storetest.NewPeer(storetest.PeerB, crossguard.RelAgency, testNow))
	x := storetest.ForeignSeizure(1, testNow.Add(-time.Hour), storetest.PeerA, 1)
	y := storetest.ForeignSeizure(2, testNow.Add(-time.Hour), storetest.PeerB, 1)
	e.mustReceive(t, storetest.PeerA, 1, 1, storetest.FromPeer(storetest.PeerA, storetest.IncomingSeizure(x))...)
	e.mustReceive(t, storetest.PeerB, 1, 1, storetest.FromPeer(storetest.PeerB, storetest.IncomingSeizure(y))...)

	e.do(t, request{Method: "DELETE", Path: "/api/v1/peers/" + storetest.PeerB + "?purge=maybe", Token: admin}).wantError(t, http.StatusBadRequest, "invalid", "purge")
	e.do(t, request{Method: "DELETE", Path: "/api/v1/peers/" + storetest.PeerB, Token: admin}).want(t, http.StatusNoContent)
	if _, err := e.store.Seizure(context.Background(), y.ID); err != nil {
		t.Fatalf("without purge the copy goes: %v", err)
	}
	var got crossguard.SourcePurge
	e.do(t, request{Method: "DELETE", Path: "/api/v1/peers/" + storetest.PeerA + "?purge=true", Token: admin}).want(t, http.StatusOK).decode(t, &got)
	if got != (crossguard.SourcePurge{Removed: 1, Sources: 1}) {
		t.Fatalf("purge answered %+v, want 1 copy removed", got)
	}
	if _, err := e.store.Seizure(context.Background(), x.ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("the purged copy: %v", err)
	}
	// PeerB, removed without a purge, can be purged afterwards.
	e.do(t, request{Method: "DELETE", Path: "/api/v1/peers/" + storetest.PeerB + "?purge=true", Token: admin}).want(t, http.StatusOK).decode(t, &got)
	if got.Removed != 1 {
		t.Fatalf("later purge answered %+v", got)
	}
	e.do(t, request{Method: "DELETE", Path: "/api/v1/peers/" + storetest.PeerB + "?purge=true", Token: admin}).wantError(t, http.StatusNotFound, "not_found", "")
	if n := e.auditCount(t, crossguard.RoleAdmin, crossguard.ActionPeerPurge); n != 2 {
		t.Fatalf("%d peer.purge entries, want 2", n)
	}
}
