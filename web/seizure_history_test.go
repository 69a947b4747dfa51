package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// historyEnv is a seizure interface over a node with its identity
// recorded, holding one seizure of its own at version 3 and one of
// another node at version 2.
type historyEnv struct {
	*seizureEnv
	own, foreign string
}

// newHistoryEnv starts a seizureEnv, records the node's identity and
// writes the seizures whose history the tests read.
func newHistoryEnv(t *testing.T) *historyEnv {
	t.Helper()
	ctx := context.Background()
	e := &historyEnv{seizureEnv: newSeizureEnv(t)}
	n := e.node
	info := n.Info
	info.CreatedAt = time.Date(2026, time.December, 1, 7, 0, 0, 0, time.UTC)
	if err := n.Store.InitNode(ctx, &info); err != nil {
		t.Fatal(err)
	}
	at := func(day int) {
		n.Clock = crossguard.FixedClock(time.Date(2026, time.December, day, 10, 0, 0, 0, time.UTC))
	}

	var z crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &z); err != nil {
		t.Fatal(err)
	}
	at(2)
	v1, err := n.CreateSeizure(ctx, "test", &z)
	if err != nil {
		t.Fatal(err)
	}
	e.own = v1.ID
	at(3)
	v2 := *v1
	v2.Narrative = "Packets in a welded compartment and in the spare tyre."
	v2.Goods = append([]crossguard.Goods(nil), v1.Goods...)
	v2.Goods[0].Quantity = 14
	if _, err := n.UpdateSeizure(ctx, "test", e.own, 1, &v2); err != nil {
		t.Fatal(err)
	}
	at(4)
	v3 := v2
	v3.Marking.TLP = crossguard.TLPGreen
	if _, err := n.UpdateSeizure(ctx, "test", e.own, 2, &v3); err != nil {
		t.Fatal(err)
	}

	f := storetest.ForeignSeizure(7, time.Date(2026, time.November, 28, 6, 0, 0, 0, time.UTC), "cn-customs/tashkurgan", 1)
	if err := n.Store.CreateSeizures(ctx, "sync", []*crossguard.Seizure{f}, nil); err != nil {
		t.Fatal(err)
	}
	e.foreign = f.ID
	f2 := *f
	f2.Version, f2.UpdatedAt, f2.Country = 2, f.UpdatedAt.Add(time.Hour), "TJ"
	if err := n.Store.UpdateSeizure(ctx, "sync", &f2); err != nil {
		t.Fatal(err)
	}
	return e
}

// section returns the part of body from the heading with id to the end
// of its section, failing t if there is none.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no %s in the page:\n%s", id, body)
	}
	end := strings.Index(body[i:], "</section>")
	if end < 0 {
		t.Fatalf("%s has no end", id)
	}
	return body[i : i+end]
}

// wantInOrder fails t unless s holds each of subs, in this order.
func wantInOrder(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	at := 0
	for _, sub := range subs {
		i := strings.Index(s[at:], sub)
		if i < 0 {
			t.Fatalf("%s lacks %q after offset %d:\n%s", what, sub, at, s)
		}
		at += i + len(sub)
	}
}

func TestSeizureHistory(t *testing.T) {
	e := newHistoryEnv(t)
	c := e.signedIn()

	t.Run("own versions newest first with the fields they changed", func(t *testing.T) {
		res := e.get(c, "/seizures/"+e.own)
		wantStatus(t, res, http.StatusOK)
		h := section(t, res.body, "history-heading")
		wantContains(t, res, `<div class="table-wrap" tabindex="0" role="region" aria-labelledby="history-caption">`,
			`<caption id="history-caption">Versions this node has held, newest first</caption>`)
		wantInOrder(t, "history", h,
			`<td class="num">3</td><td>4 December 2026, 10:00</td><td>Recorded on this node</td>`,
			`<li>Marking</li>`,
			`<td class="num">2</td><td>3 December 2026, 10:00</td>`,
			`<li>Goods</li><li>Narrative</li>`,
			`<td class="num">1</td><td>2 December 2026, 10:00</td>`,
			"First version held on this node")
		if strings.Contains(h, "Received from") {
			t.Errorf("own versions are shown as received:\n%s", h)
		}
		if n := strings.Count(h, "<li>"); n != 3 {
			t.Errorf("history names %d changed fields, want 3 (marking; goods, narrative):\n%s", n, h)
		}
	})
	t.Run("received versions name their origin", func(t *testing.T) {
		res := e.get(c, "/seizures/"+e.foreign)
		wantStatus(t, res, http.StatusOK)
		h := section(t, res.body, "history-heading")
		wantInOrder(t, "history", h,
			`<td class="num">2</td>`, `Received from <span class="code" dir="ltr">cn-customs/tashkurgan</span><br>stored `, `<li>Country</li>`,
			`<td class="num">1</td>`, `Received from`, "First version held on this node")
		if strings.Contains(h, "Recorded on this node") || strings.Contains(h, " via ") {
			t.Errorf("received versions are shown as recorded here or relayed:\n%s", h)
		}
	})
	t.Run("in Chinese", func(t *testing.T) {
		res := e.get(c, "/seizures/"+e.own+"?lang=zh")
		wantStatus(t, res, http.StatusOK)
		h := section(t, res.body, "history-heading")
		wantInOrder(t, "history", h, "历史", "本节点保存过的版本", "2026年12月4日", "在本节点录入", "本节点保存的第一个版本")
	})
}

func TestSeizureAnnotations(t *testing.T) {
	e := newHistoryEnv(t)
	ctx := context.Background()
	c := e.signedIn()

	res := e.get(c, "/seizures/"+e.own)
	wantStatus(t, res, http.StatusOK)
	if a := section(t, res.body, "annotations-heading"); !strings.Contains(a, `<p class="empty">No node has annotated this seizure yet.</p>`) {
		t.Fatalf("no empty state for a seizure without annotations:\n%s", a)
	}

	target := crossguard.RecordRef{ID: e.own, Kind: crossguard.KindSeizure, Origin: seizureNodeID}
	partner := storetest.NewAnnotation(1, target, "af-customs/islam-qala", time.Date(2026, time.December, 5, 8, 0, 0, 0, time.UTC))
	partner.Text = "The same truck crossed at Islam Qala last week."
	if err := e.node.Store.CreateRecord(ctx, "sync", storetest.RecordOf(partner)); err != nil {
		t.Fatal(err)
	}
	e.node.Clock = crossguard.FixedClock(time.Date(2026, time.December, 6, 9, 15, 0, 0, time.UTC))
	own := &crossguard.Annotation{Header: crossguard.Header{Distribution: crossguard.DistPartners,
		Marking: crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H0"}}, Text: "Driver questioned again; no new facts."}
	if _, err := e.node.Annotate(ctx, "test", e.own, own); err != nil {
		t.Fatal(err)
	}

	res = e.get(c, "/seizures/"+e.own)
	wantStatus(t, res, http.StatusOK)
	a := section(t, res.body, "annotations-heading")
	wantInOrder(t, "annotations", a,
		`<span class="code" dir="ltr">pk-customs/sost</span> <span class="own">(this node)</span> · 6 December 2026, 09:15`,
		`<span class="tlp tlp-green">TLP:GREEN</span>`,
		"Driver questioned again; no new facts.",
		`<span class="code" dir="ltr">af-customs/islam-qala</span> · 5 December 2026, 08:00`,
		"The same truck crossed at Islam Qala last week.")
	if strings.Contains(a, "alice") || strings.Contains(a, ">test<") {
		t.Errorf("annotations name a person:\n%s", a)
	}

	t.Run("in Urdu", func(t *testing.T) {
		res := e.get(c, "/seizures/"+e.own+"?lang=ur")
		wantStatus(t, res, http.StatusOK)
		wantInOrder(t, "annotations", section(t, res.body, "annotations-heading"), "شراکت داروں کے تبصرے", "af-customs/islam-qala")
	})
}
