package postgres_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/postgres"
	"crossguard/storetest"
)

// fedStore opens a migrated store on schema, binds it to the node
// storetest.Origin and adds the partner peer storetest.PeerA.
func fedStore(t *testing.T, schema string) *postgres.Store {
	t.Helper()
	s := openTest(t, schema)
	if err := s.InitNode(t.Context(), storetest.NewNodeInfo(storetest.T0)); err != nil {
		t.Fatalf("InitNode: %v", err)
	}
	if err := s.PutPeer(t.Context(), "admin", storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, storetest.T0), storetest.T0); err != nil {
		t.Fatalf("PutPeer: %v", err)
	}
	return s
}

// foreignPage returns a page from storetest.PeerA of n new seizures of
// that peer, numbered from first, after which its cursor is cursor.
func foreignPage(first, n int, cursor int64) (*crossguard.InboundPage, []string) {
	p := &crossguard.InboundPage{Peer: storetest.PeerA, Cursor: cursor, RemoteHead: cursor,
		At: storetest.T0.Add(time.Duration(cursor) * time.Second)}
	ids := make([]string, n)
	for i := range n {
		sz := storetest.ForeignSeizure(first+i, storetest.T0.Add(-time.Duration(first+i)*time.Minute), storetest.PeerA, 1)
		p.Records = append(p.Records, storetest.IncomingSeizure(sz))
		ids[i] = sz.ID
	}
	return p, ids
}

// TestApplyPageWithLocalWrites applies pages from a peer through one store
// while another store on the same schema creates seizures, and checks that
// the change sequence numbers stay gap-free and in each writer's commit
// order, and that the audit chain stays valid: ApplyPage takes its
// numbers under the same heads lock as local writes.
func TestApplyPageWithLocalWrites(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	applier := fedStore(t, schema)
	local := openTest(t, schema)

	const batches, size = 8, 40
	var ids [2][]string
	var wg sync.WaitGroup
	wg.Go(func() {
		for b := range batches {
			p, got := foreignPage(b*size, size, int64(b+1))
			res, err := applier.ApplyPage(t.Context(), p)
			if err != nil {
				t.Errorf("ApplyPage %d: %v", b, err)
				return
			}
			if res.Applied != size {
				t.Errorf("ApplyPage %d applied %d, want %d", b, res.Applied, size)
				return
			}
			ids[0] = append(ids[0], got...)
		}
	})
	wg.Go(func() {
		for b := range batches {
			first := 10000 + b*size
			items := storetest.NewSeizures(first, size, storetest.T0.Add(-time.Duration(first)*time.Minute), time.Minute)
			if err := local.CreateSeizures(t.Context(), "officer", items, nil); err != nil {
				t.Errorf("CreateSeizures %d: %v", b, err)
				return
			}
			for _, it := range items {
				ids[1] = append(ids[1], it.ID)
			}
		}
	})
	wg.Wait()
	if t.Failed() {
		return
	}

	const total = 2 * batches * size
	seqOf := map[string]int64{}
	var after int64
	for range total {
		page, head, err := local.Changes(t.Context(), after, 100)
		if err != nil {
			t.Fatalf("Changes(%d): %v", after, err)
		}
		if head != total {
			t.Fatalf("head = %d, want %d", head, total)
		}
		for _, c := range page {
			if c.Seq != after+1 {
				t.Fatalf("change %d after %d: the change numbers have a gap", c.Seq, after)
			}
			seqOf[c.Header.ID], after = c.Seq, c.Seq
		}
		if len(page) < 100 {
			break
		}
	}
	if len(seqOf) != total {
		t.Fatalf("the feed holds %d records, want %d", len(seqOf), total)
	}
	for w, list := range ids {
		var prev int64
		for _, id := range list {
			if seqOf[id] <= prev {
				t.Fatalf("writer %d: %s has change %d after %d, want increasing in commit order", w, id, seqOf[id], prev)
			}
			prev = seqOf[id]
		}
	}
	n, err := crossguard.VerifyAudit(t.Context(), local)
	if want := int64(1 + batches + batches*size); err != nil || n != want {
		t.Fatalf("VerifyAudit = %d, %v; want %d entries, no error", n, err, want)
	}
}

// TestWithdrawnRowKeepsNothing checks in the database itself that a copy
// withdrawn by a peer keeps nothing of its content: no goods lines, no
// search words, no content columns, no signed version, only a header
// naming the record.
func TestWithdrawnRowKeepsNothing(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := fedStore(t, schema)
	p, ids := foreignPage(0, 2, 1)
	if _, err := s.ApplyPage(t.Context(), p); err != nil {
		t.Fatalf("ApplyPage: %v", err)
	}
	h := p.Records[0].Header
	w := &crossguard.InboundPage{Peer: storetest.PeerA, Cursor: 2, RemoteHead: 2, At: p.At.Add(time.Minute),
		Withdrawals: []crossguard.Withdrawal{{ID: h.ID, Kind: h.Kind, Origin: h.Origin, Reason: "TLP raised"}}}
	res, err := s.ApplyPage(t.Context(), w)
	if err != nil || res.Withdrawn != 1 {
		t.Fatalf("ApplyPage(withdrawal) = %+v, %v; want 1 withdrawn", res, err)
	}

	conn := rawConn(t, schema)
	var (
		goods                          int
		body                           string
		content, words, signed, marked bool
	)
	err = conn.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM seizure_goods WHERE seizure_id = $1),
		body, fts <> ''::tsvector,
		occurred_at IS NOT NULL OR country IS NOT NULL OR distribution IS NOT NULL OR tlp IS NOT NULL,
		signed IS NOT NULL OR sig IS NOT NULL OR path IS NOT NULL, deleted AND withdrawn
		FROM seizures WHERE id = $1`, h.ID).Scan(&goods, &body, &words, &content, &signed, &marked)
	if err != nil {
		t.Fatalf("read the withdrawn row: %v", err)
	}
	if goods != 0 || words || content || signed || !marked {
		t.Fatalf("withdrawn row: %d goods lines, search words %t, content columns %t, signed or path %t, deleted and withdrawn %t; want nothing kept",
			goods, words, content, signed, marked)
	}
	var kept map[string]any
	if err := json.Unmarshal([]byte(body), &kept); err != nil {
		t.Fatalf("withdrawn body %s: %v", body, err)
	}
	want := map[string]any{"id": h.ID, "kind": h.Kind, "origin": h.Origin, "version": float64(h.Version)}
	if len(kept) != len(want) {
		t.Fatalf("withdrawn body %s, want only id, kind, origin and version", body)
	}
	for k, v := range want {
		if kept[k] != v {
			t.Fatalf("withdrawn body %s: %s is %v, want %v", body, k, kept[k], v)
		}
	}
	// The other seizure of the page keeps its goods lines.
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM seizure_goods WHERE seizure_id = $1`, ids[1]).Scan(&goods); err != nil || goods == 0 {
		t.Fatalf("goods lines of the seizure still held: %d, %v; want some", goods, err)
	}
}

// TestApplyPageRollsBack checks that a page that fails part way stores
// nothing: not its records, not the peer's status, not its audit entries.
func TestApplyPageRollsBack(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := fedStore(t, schema)
	p, ids := foreignPage(0, 3, 5)
	// A text column cannot hold a NUL byte: the statement storing the
	// seizures fails after the store has judged the page.
	p.Records[2].Signed.Record = json.RawMessage("{\"x\":\"\x00\"}")
	_, err := s.ApplyPage(t.Context(), p)
	if err == nil {
		t.Fatal("ApplyPage of a page the database refuses: no error")
	}
	t.Logf("ApplyPage: %v", err)
	for _, id := range ids {
		if _, err := s.Seizure(t.Context(), id); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
			t.Fatalf("Seizure(%s) after a failed page: %v, want ENOTFOUND", id, err)
		}
	}
	peer, err := s.Peer(t.Context(), storetest.PeerA)
	if err != nil || peer.Status != (crossguard.PeerStatus{}) {
		t.Fatalf("status after a failed page: %+v, %v; want untouched", peer.Status, err)
	}
	changes, head, err := s.Changes(t.Context(), 0, 10)
	if err != nil || len(changes) != 0 || head != 0 {
		t.Fatalf("Changes after a failed page = %d changes at head %d, %v; want none at 0", len(changes), head, err)
	}
	if n, err := crossguard.VerifyAudit(t.Context(), s); err != nil || n != 1 {
		t.Fatalf("VerifyAudit = %d, %v; want only the peer's entry", n, err)
	}
}
