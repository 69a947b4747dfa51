package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// TestAdminPeerRefusalAck checks that the peers page shows a peer's last
// refusal, which outlives a clean page, until an administrator
// acknowledges it with the page's form (CSRF-checked, administrators
// only, audited).
func TestAdminPeerRefusalAck(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	peer := storetest.PeerB
	id := storetest.SeizureID(1, testNow)
	reason := "version 1 is older than the version 2 held here: a replay"
	for _, p := range []*crossguard.InboundPage{
		{Peer: peer, Cursor: 1, RemoteHead: 7, At: testNow,
			Refused: []crossguard.Refusal{{ID: id, Kind: crossguard.KindSeizure, Origin: "pk-customs/torkham", Reason: reason}}},
		{Peer: peer, Cursor: 2, RemoteHead: 7, At: testNow}, // clean
	} {
		if _, err := e.node.Store.ApplyPage(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	ada := e.signedIn("ada")
	page := e.get(ada, "/admin/peers?lang=en")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "Last refusal", "1 refused since the last acknowledgement. The last, at ", reason,
		"Record: seizure "+id+" of pk-customs/torkham.", "Received 0, refused 1, sent 0.", "Withdrawals received 0, sent 0.",
		`action="/admin/peers/ack"`, `name="peer" value="`+peer+`"`)
	tok := mustCSRF(t, page)

	wantStatus(t, e.post(ada, "/admin/peers/ack", url.Values{"csrf": {"forged"}, "peer": {peer}}), http.StatusForbidden)
	aude := e.signedIn("aude")
	wantStatus(t, e.post(aude, "/admin/peers/ack", url.Values{"csrf": {mustCSRF(t, e.get(aude, "/"))}, "peer": {peer}}), http.StatusForbidden)
	wantStatus(t, e.post(ada, "/admin/peers/ack", url.Values{"csrf": {tok}, "peer": {"xx-customs/nowhere"}}), http.StatusNotFound)
	if p, err := e.node.Store.Peer(ctx, peer); err != nil || p.Status.LastRefusal == nil {
		t.Fatalf("refused attempts cleared the refusal: %+v, %v", p, err)
	}

	res := e.post(ada, "/admin/peers/ack", url.Values{"csrf": {tok}, "peer": {peer}})
	wantStatus(t, res, http.StatusSeeOther)
	page = e.get(ada, res.Header.Get("Location")+"&lang=en")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "The refusals from "+peer+" are acknowledged.", "None since the last acknowledgement.", "Received 0, refused 1, sent 0.")
	entries, err := e.node.Store.ListAudit(ctx, crossguard.AuditFilter{Action: crossguard.ActionPeerAck, Limit: 10})
	if err != nil || len(entries.Items) != 1 || entries.Items[0].Actor != "ada" || entries.Items[0].RecordID != peer {
		t.Fatalf("peer.ack audit entries %+v, %v; want one by ada about %s", entries, err, peer)
	}
}
