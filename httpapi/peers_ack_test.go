package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// TestPeerRefusalsAck checks that the API shows a peer's last refusal and
// its refusals by class until an administrator acknowledges them with
// POST /api/v1/peers/{agency}/{node}/ack, which is audited.
func TestPeerRefusalsAck(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		a := storetest.PeerA
		admin := e.tokens[crossguard.RoleAdmin]
		e.mustAddPeer(t, storetest.NewPeer(a, crossguard.RelPartner, testNow))
		id := storetest.SeizureID(1, testNow)
		reason := "origin cn-customs/ghost is not a known node (add its card with crossguard peer add)"
		p := &crossguard.InboundPage{Peer: a, Cursor: 1, RemoteHead: 1, At: testNow,
			Refused: []crossguard.Refusal{{ID: id, Kind: crossguard.KindSeizure, Origin: "cn-customs/ghost", Reason: reason}}}
		if _, err := e.store.ApplyPage(ctx, p); err != nil {
			t.Fatal(err)
		}
		// A clean page after it: the last error goes, the refusal stays.
		if _, err := e.store.ApplyPage(ctx, &crossguard.InboundPage{Peer: a, Cursor: 2, RemoteHead: 2, At: testNow.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		res := e.do(t, request{Method: "GET", Path: "/api/v1/peers", Token: admin}).want(t, http.StatusOK)
		for _, key := range []string{`"last_error":""`, `"reason":"` + reason, `"class":"unknown_origin"`, `"record_id":"` + id,
			`"record_origin":"cn-customs/ghost"`, `"unacknowledged":1`, `"unknown_origin":1`, `"withdrawals_received":0`, `"withdrawals_sent":0`} {
			if !strings.Contains(string(res.Body), key) {
				t.Errorf("peers lack %s: %s", key, res.Body)
			}
		}

		var ack struct {
			Acknowledged *crossguard.PeerRefusal `json:"acknowledged"`
			Peer         apiPeer                 `json:"peer"`
		}
		e.do(t, request{Method: "POST", Path: "/api/v1/peers/" + a + "/ack", Token: admin}).want(t, http.StatusOK).decode(t, &ack)
		want := &crossguard.PeerRefusal{Reason: reason, Class: crossguard.RefusalUnknownOrigin, At: testNow, Kind: crossguard.KindSeizure,
			ID: id, Origin: "cn-customs/ghost", Unacknowledged: 1}
		if ack.Acknowledged == nil || *ack.Acknowledged != *want {
			t.Fatalf("acknowledged %+v, want %+v", ack.Acknowledged, want)
		}
		st := ack.Peer.Status
		if ack.Peer.Card.ID != a || st.LastRefusal != nil || st.Refused != 1 || st.RefusedByClass.UnknownOrigin != 1 {
			t.Fatalf("peer after the acknowledgement: %+v", ack.Peer)
		}
		if n := e.auditCount(t, crossguard.RoleAdmin, crossguard.ActionPeerAck); n != 1 {
			t.Fatalf("%d peer.ack audit entries by the admin, want 1", n)
		}
		res = e.do(t, request{Method: "GET", Path: "/api/v1/peers", Token: admin}).want(t, http.StatusOK)
		if !strings.Contains(string(res.Body), `"last_refusal":null`) {
			t.Errorf("the refusal outlived its acknowledgement: %s", res.Body)
		}
		// Nothing left: acknowledged is null.
		res = e.do(t, request{Method: "POST", Path: "/api/v1/peers/" + a + "/ack", Token: admin}).want(t, http.StatusOK)
		if !strings.Contains(string(res.Body), `"acknowledged":null`) {
			t.Errorf("a second acknowledgement answers %s", res.Body)
		}
		e.do(t, request{Method: "POST", Path: "/api/v1/peers/cn-customs/nowhere/ack", Token: admin}).wantError(t, http.StatusNotFound, "not_found", "")
	})
}
