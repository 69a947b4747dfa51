package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// annotationJSON is a valid body of POST /api/v1/records/{id}/annotations.
const annotationJSON = `{"text": "The same truck was stopped at Khunjerab last month.",
 "distribution": "partners", "marking": {"tlp": "green", "handling": "H1"}}`

// TestAnnotations annotates this node's record and a partner's, and lists
// the annotations of each, including one received from the partner.
func TestAnnotations(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	officer := e.tokens[crossguard.RoleOfficer]
	own := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
	e.mustAddPeer(t, storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow))
	foreign := storetest.ForeignSeizure(1, testNow.Add(-24*time.Hour), storetest.PeerA, 2)
	theirs := storetest.NewAnnotation(2, crossguard.RecordRef{ID: own.ID, Kind: crossguard.KindSeizure, Origin: own.Origin},
		storetest.PeerA, testNow.Add(-time.Hour))
	e.mustReceive(t, storetest.PeerA, 2, 2, storetest.IncomingSeizure(foreign), storetest.IncomingAnnotation(theirs))

	annotate := func(t *testing.T, target string) *crossguard.Annotation {
		t.Helper()
		var a crossguard.Annotation
		e.do(t, request{Method: "POST", Path: "/api/v1/records/" + target + "/annotations", Token: officer, Body: annotationJSON}).
			want(t, http.StatusCreated).decode(t, &a)
		return &a
	}
	list := func(t *testing.T, target string) []crossguard.Annotation {
		t.Helper()
		var got struct{ Items []crossguard.Annotation }
		res := e.do(t, request{Method: "GET", Path: "/api/v1/records/" + target + "/annotations", Token: e.tokens[crossguard.RoleAuditor]}).want(t, http.StatusOK)
		res.decode(t, &got)
		if got.Items == nil {
			t.Fatalf("items is not an array: %s", res.Body)
		}
		return got.Items
	}

	t.Run("none yet", func(t *testing.T) {
		if got := list(t, foreign.ID); len(got) != 0 {
			t.Fatalf("annotations of a record nobody annotated: %+v", got)
		}
	})
	var first, second *crossguard.Annotation
	t.Run("annotate a partner's record", func(t *testing.T) {
		first = annotate(t, foreign.ID)
		want := crossguard.RecordRef{ID: foreign.ID, Kind: crossguard.KindSeizure, Origin: storetest.PeerA}
		switch {
		case first.ID == "" || first.ID == foreign.ID:
			t.Fatalf("annotation id %q", first.ID)
		case first.Kind != crossguard.KindAnnotation || first.Origin != e.node.Info.ID || first.Version != 1:
			t.Fatalf("header %+v, want an annotation of this node at version 1", first.Header)
		case !first.CreatedAt.Equal(testNow) || !first.UpdatedAt.Equal(testNow):
			t.Fatalf("timestamps %v %v, want the node clock", first.CreatedAt, first.UpdatedAt)
		case first.Target != want:
			t.Fatalf("target %+v, want %+v", first.Target, want)
		case first.Distribution != crossguard.DistPartners || first.Marking.TLP != crossguard.TLPGreen || !strings.Contains(first.Text, "Khunjerab"):
			t.Fatalf("body not stored as sent: %+v", first)
		}
		second = annotate(t, foreign.ID)
		got := list(t, foreign.ID)
		if len(got) != 2 || got[0].ID != first.ID || got[1].ID != second.ID {
			t.Fatalf("annotations %+v, want %s then %s", got, first.ID, second.ID)
		}
		// The partner's seizure itself is unchanged: it keeps its single writer.
		s := e.do(t, request{Method: "GET", Path: "/api/v1/seizures/" + foreign.ID, Token: officer}).want(t, http.StatusOK).seizure(t)
		if s.Version != 2 || s.Origin != storetest.PeerA {
			t.Fatalf("annotated seizure now %+v", s.Header)
		}
	})
	t.Run("own record with a partner's annotation", func(t *testing.T) {
		mine := annotate(t, own.ID)
		if mine.Target.Origin != e.node.Info.ID {
			t.Fatalf("target %+v", mine.Target)
		}
		reads := e.auditCount(t, crossguard.RoleAuditor, crossguard.ActionRecordRead)
		got := list(t, own.ID)
		if len(got) != 2 || got[0].ID != theirs.ID || got[1].ID != mine.ID {
			t.Fatalf("annotations %+v, want the partner's %s (older) then %s", got, theirs.ID, mine.ID)
		}
		if got[0].Origin != storetest.PeerA || got[0].Text != theirs.Text || got[0].Target.Origin != e.node.Info.ID {
			t.Fatalf("partner's annotation %+v", got[0])
		}
		if n := e.auditCount(t, crossguard.RoleAuditor, crossguard.ActionRecordRead); n != reads+1 {
			t.Fatalf("%d record.read entries after listing, want %d: the partner's annotation is audited, ours is not", n, reads+1)
		}
	})
	t.Run("annotate an annotation", func(t *testing.T) {
		a := annotate(t, first.ID)
		if a.Target.ID != first.ID || a.Target.Kind != crossguard.KindAnnotation {
			t.Fatalf("target %+v", a.Target)
		}
	})
	t.Run("unknown record", func(t *testing.T) {
		deleted := e.mustCreate(t, storetest.ExampleSeizureJSON, nil).ID
		if err := e.node.DeleteSeizure(context.Background(), "test", deleted, 0); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"0193a6f4-5b1e-7c4e-9a51-3f0b6c1d2e3f", deleted, "not-a-uuid"} {
			e.do(t, request{Method: "POST", Path: "/api/v1/records/" + id + "/annotations", Token: officer, Body: annotationJSON}).
				wantError(t, http.StatusNotFound, "not_found", "")
			e.do(t, request{Method: "GET", Path: "/api/v1/records/" + id + "/annotations", Token: officer}).
				wantError(t, http.StatusNotFound, "not_found", "")
		}
	})
	t.Run("forbidden", func(t *testing.T) {
		for _, role := range []string{crossguard.RoleAdmin, crossguard.RoleAuditor} {
			e.do(t, request{Method: "POST", Path: "/api/v1/records/" + own.ID + "/annotations", Token: e.tokens[role], Body: annotationJSON}).
				wantError(t, http.StatusForbidden, "forbidden", "")
		}
		if got := list(t, own.ID); len(got) != 2 {
			t.Fatalf("%d annotations after refused requests, want 2", len(got))
		}
		page, err := e.store.ListAudit(context.Background(), crossguard.AuditFilter{Actor: crossguard.RoleAdmin, Action: crossguard.ActionAccessDenied, Limit: 1})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("access.denied entries of admin: %v, %v", page, err)
		}
		// The id under /records/ may be of any kind: the entry does not
		// call it a seizure.
		if d := page.Items[0]; d.RecordID != own.ID || d.RecordKind != "" {
			t.Fatalf("access.denied entry names record %q of kind %q, want %s of no kind", d.RecordID, d.RecordKind, own.ID)
		}
	})
}

// TestAnnotationErrors checks that each bad annotation body is refused
// with the fields at fault.
func TestAnnotationErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	s := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
	path := "/api/v1/records/" + s.ID + "/annotations"
	cases := []struct {
		name, body string
		fields     []string
	}{
		{"empty object", `{}`, []string{"distribution", "marking.handling", "marking.tlp", "text"}},
		{"blank text", `{"text": "  ", "distribution": "partners", "marking": {"tlp": "green", "handling": "H1"}}`, []string{"text"}},
		{"text too long", `{"text": "` + strings.Repeat("x", crossguard.MaxAnnotationBytes+1) + `", "distribution": "partners", "marking": {"tlp": "green", "handling": "H1"}}`, []string{"text"}},
		{"unknown distribution", `{"text": "x", "distribution": "everyone", "marking": {"tlp": "green", "handling": "H1"}}`, []string{"distribution"}},
		{"red without recipients", `{"text": "x", "distribution": "partners", "marking": {"tlp": "red", "handling": "H1"}}`, []string{"recipients"}},
		{"bad recipient", `{"text": "x", "distribution": "partners", "recipients": ["CN Customs"], "marking": {"tlp": "amber", "handling": "H1"}}`, []string{"recipients[0]"}},
		{"bad marking", `{"text": "x", "distribution": "partners", "marking": {"tlp": "white", "handling": "H9"}}`, []string{"marking.handling", "marking.tlp"}},
		{"target in the body", `{"text": "x", "distribution": "partners", "marking": {"tlp": "green", "handling": "H1"}, "target": {"id": "x"}}`, []string{"target"}},
		{"origin in the body", `{"text": "x", "origin": "cn-customs/tashkurgan", "distribution": "partners", "marking": {"tlp": "green", "handling": "H1"}}`, []string{"origin"}},
		{"text not a string", `{"text": 5, "distribution": "partners", "marking": {"tlp": "green", "handling": "H1"}}`, []string{"text"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := e.do(t, request{Method: "POST", Path: path, Token: e.tokens[crossguard.RoleAnalyst], Body: tc.body}).
				wantError(t, http.StatusBadRequest, "invalid", "")
			var got []string
			for _, f := range d.Fields {
				if !slices.Contains(got, f.Field) {
					got = append(got, f.Field)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v; %+v", got, tc.fields, d)
			}
		})
	}
	var none struct{ Items []crossguard.Annotation }
	e.do(t, request{Method: "GET", Path: path, Token: e.tokens[crossguard.RoleAnalyst]}).want(t, http.StatusOK).decode(t, &none)
	if len(none.Items) != 0 {
		t.Fatalf("refused bodies stored annotations %+v", none.Items)
	}
}
