package postgres_test

import (
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// TestApplyPageOneChangePerRecord applies a page that names records
// several times (two versions of one seizure; a new seizure, then its
// withdrawal) and checks in the database that each record takes one change
// sequence number, in the order of its latest change, that the rows and
// the sources table hold the state the page left, and that only the live
// seizure keeps goods lines.
func TestApplyPageOneChangePerRecord(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := fedStore(t, schema)
	x1 := storetest.ForeignSeizure(1, storetest.T0, storetest.PeerA, 1)
	x2 := storetest.ForeignSeizure(1, storetest.T0, storetest.PeerA, 2)
	y := storetest.ForeignSeizure(2, storetest.T0, storetest.PeerA, 1)
	p := &crossguard.InboundPage{Peer: storetest.PeerA, Cursor: 3, RemoteHead: 3, At: storetest.T0.Add(time.Minute),
		Records:     []*crossguard.Incoming{storetest.IncomingSeizure(x1), storetest.IncomingSeizure(y), storetest.IncomingSeizure(x2)},
		Withdrawals: []crossguard.Withdrawal{{ID: y.ID, Kind: crossguard.KindSeizure, Origin: y.Origin, Reason: "narrowed"}}}
	res, err := s.ApplyPage(t.Context(), p)
	if err != nil || res.Applied != 3 || res.Withdrawn != 1 || res.Unchanged != 0 || res.Looped != 0 || len(res.Refused) != 0 {
		t.Fatalf("ApplyPage = %+v, %v; want 3 applied, 1 withdrawn", res, err)
	}

	conn := rawConn(t, schema)
	type row struct {
		id                 string
		seq, version       int64
		deleted, withdrawn bool
		path               *string
		goods              int
	}
	rows, err := conn.Query(t.Context(), `SELECT id, seq, version, deleted, withdrawn, path,
		(SELECT count(*) FROM seizure_goods WHERE seizure_id = id) FROM seizures ORDER BY seq`)
	if err != nil {
		t.Fatalf("read seizures: %v", err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var w row
		err := r.Scan(&w.id, &w.seq, &w.version, &w.deleted, &w.withdrawn, &w.path, &w.goods)
		return w, err
	})
	if err != nil {
		t.Fatalf("read seizures: %v", err)
	}
	// y's latest change (its withdrawal) comes after x's (version 2).
	if len(got) != 2 || got[0].id != x1.ID || got[1].id != y.ID || got[0].seq != 1 || got[1].seq != 2 {
		t.Fatalf("seizures by change: %+v; want %s at 1, %s at 2", got, x1.ID, y.ID)
	}
	x, w := got[0], got[1]
	if x.version != 2 || x.deleted || x.path == nil || *x.path != `["`+storetest.PeerA+`"]` || x.goods != len(x2.Goods) {
		t.Fatalf("row of %s: %+v; want live version 2 from the path [%s] with %d goods lines", x1.ID, x, storetest.PeerA, len(x2.Goods))
	}
	if !w.withdrawn || w.path != nil || w.goods != 0 {
		t.Fatalf("row of %s: %+v; want withdrawn without path or goods lines", y.ID, w)
	}
	var head int64
	if err := conn.QueryRow(t.Context(), `SELECT change_seq FROM heads`).Scan(&head); err != nil || head != 2 {
		t.Fatalf("head = %d, %v; want 2", head, err)
	}
	rows, err = conn.Query(t.Context(), `SELECT id || ' ' || peer || ' ' || version || ' ' || path FROM sources ORDER BY id, peer`)
	if err != nil {
		t.Fatalf("read sources: %v", err)
	}
	sources, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if want := []string{x1.ID + " " + storetest.PeerA + ` 2 ["` + storetest.PeerA + `"]`}; err != nil || !slices.Equal(sources, want) {
		t.Fatalf("sources = %q, %v; want %q", sources, err, want)
	}
}
