package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testSeizures checks creating, reading, updating and deleting seizures.
func testSeizures(t *testing.T, open Opener) {
	t.Run("create and read back exactly", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 12, T0, 7*time.Hour+123*time.Nanosecond)
		minimal := NewSeizure(100, T0.Add(-time.Minute))
		minimal.Goods = minimal.Goods[:1]
		minimal.Goods[0].Value = nil
		minimal.Identifiers = []crossguard.Identifier{}
		minimal.Place = crossguard.Place{Name: "Sost"}
		minimal.Office, minimal.Conveyance, minimal.Narrative, minimal.Recipients = "", "", "", nil
		minimal.Route = crossguard.Route{Transit: []string{}}
		minimal.Marking.SourceReliability, minimal.Marking.InfoAccuracy = "", ""
		unicode := NewSeizure(101, T0.Add(-2*time.Minute))
		unicode.Narrative = "Ящики с «чаем» — 茶叶 — قاچاق; quotes \" and \\ backslash\nsecond line\ttab"
		unicode.Goods[0].Description = "heroïne café — 海洛因"
		items = append(items, minimal, unicode)
		want := make([]*crossguard.Seizure, len(items))
		for i, it := range items {
			want[i] = clone(it)
		}
		mustCreate(t, s, items...)
		for _, w := range want {
			wantEqual(t, "seizure "+w.ID, mustGet(t, s, w.ID), w)
		}
	})
	t.Run("builders make valid records", func(t *testing.T) {
		t.Parallel()
		for i := range 300 {
			it := NewSeizure(i, T0)
			if err := it.Validate(T0); err != nil {
				t.Fatalf("NewSeizure(%d) is invalid: %v", i, err)
			}
		}
	})
	t.Run("unknown id not found", func(t *testing.T) {
		s := fresh(t, open)
		_, err := s.Seizure(t.Context(), SeizureID(1, T0))
		wantCode(t, err, crossguard.ENOTFOUND)
		_, err = s.Tombstone(t.Context(), SeizureID(1, T0))
		wantCode(t, err, crossguard.ENOTFOUND)
	})
	t.Run("empty batch stores nothing", func(t *testing.T) {
		s := fresh(t, open)
		if err := s.CreateSeizures(t.Context(), actor, nil, nil); err != nil {
			t.Fatalf("CreateSeizures(nil): %v", err)
		}
		wantChain(t, s, 0)
	})
	t.Run("duplicate id in a batch stores nothing", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 5, T0, time.Hour)
		dup := NewSeizure(99, T0.Add(-time.Minute))
		dup.ID = items[1].ID
		err := s.CreateSeizures(t.Context(), actor, append(items, dup), nil)
		wantCode(t, err, crossguard.ECONFLICT)
		for _, it := range items {
			_, err := s.Seizure(t.Context(), it.ID)
			wantCode(t, err, crossguard.ENOTFOUND)
		}
		wantChain(t, s, 0)
		if n := len(mustList(t, s, crossguard.SeizureFilter{}).Items); n != 0 {
			t.Fatalf("list after a failed batch has %d items, want 0", n)
		}
	})
	t.Run("duplicate of a stored id stores nothing", func(t *testing.T) {
		s := fresh(t, open)
		first := NewSeizures(0, 3, T0, time.Hour)
		mustCreate(t, s, first...)
		second := NewSeizures(10, 3, T0.Add(-time.Minute), time.Hour)
		dup := clone(second[2])
		dup.ID = first[0].ID
		err := s.CreateSeizures(t.Context(), actor, append(second[:2], dup), nil)
		wantCode(t, err, crossguard.ECONFLICT)
		for _, it := range second[:2] {
			_, err := s.Seizure(t.Context(), it.ID)
			wantCode(t, err, crossguard.ENOTFOUND)
		}
		wantEqual(t, "stored seizure after a conflicting batch", mustGet(t, s, first[0].ID), first[0])
		wantChain(t, s, 3)
	})
	t.Run("create is audited", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 3, T0, time.Hour)
		mustCreate(t, s, items...)
		for _, it := range items {
			trail := auditTrail(t, s, it.ID)
			if len(trail) != 1 {
				t.Fatalf("%d audit entries for %s, want 1", len(trail), it.ID)
			}
			e := trail[0]
			if e.Action != crossguard.ActionSeizureCreate || e.Actor != actor || e.RecordKind != crossguard.KindSeizure || e.Outcome != crossguard.OutcomeOK {
				t.Fatalf("audit entry %+v, want seizure.create by %s, kind seizure, outcome ok", e, actor)
			}
		}
		wantChain(t, s, 3)
	})
	t.Run("update", testUpdate(open))
	t.Run("delete", testDelete(open))
}

// testUpdate checks UpdateSeizure's version rules.
func testUpdate(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		t.Run("next version replaces the record", func(t *testing.T) {
			s := fresh(t, open)
			orig := NewSeizure(0, T0)
			mustCreate(t, s, orig)
			upd := NewSeizure(5, T0.Add(-3*time.Hour))
			upd.ID, upd.CreatedAt, upd.Version = orig.ID, orig.CreatedAt, 2
			upd.UpdatedAt = T0.Add(2*time.Hour + 17*time.Nanosecond)
			upd.Narrative = "updated narrative"
			want := clone(upd)
			if err := s.UpdateSeizure(t.Context(), "analyst.ali", upd); err != nil {
				t.Fatalf("UpdateSeizure: %v", err)
			}
			wantEqual(t, "updated seizure", mustGet(t, s, orig.ID), want)
			upd3 := clone(want)
			upd3.Version, upd3.Country = 3, "AF"
			if err := s.UpdateSeizure(t.Context(), "analyst.ali", upd3); err != nil {
				t.Fatalf("UpdateSeizure to version 3: %v", err)
			}
			wantEqual(t, "seizure at version 3", mustGet(t, s, orig.ID), upd3)
			trail := auditTrail(t, s, orig.ID)
			if len(trail) != 3 || trail[1].Action != crossguard.ActionSeizureUpdate || trail[2].Action != crossguard.ActionSeizureUpdate || trail[2].Actor != "analyst.ali" {
				t.Fatalf("audit trail %+v, want create then two updates by analyst.ali", trail)
			}
			wantChain(t, s, 3)
		})
		cases := []struct {
			name    string
			version int64
			code    string
		}{
			{"same version fails", 1, crossguard.EPRECONDITIONFAILED},
			{"skipped version fails", 3, crossguard.EPRECONDITIONFAILED},
			{"version zero fails", 0, crossguard.EPRECONDITIONFAILED},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				s := fresh(t, open)
				orig := NewSeizure(0, T0)
				mustCreate(t, s, orig)
				upd := clone(orig)
				upd.Version, upd.Narrative = c.version, "should not be stored"
				wantCode(t, s.UpdateSeizure(t.Context(), actor, upd), c.code)
				wantEqual(t, "seizure after a refused update", mustGet(t, s, orig.ID), orig)
				wantChain(t, s, 1)
			})
		}
		t.Run("stale version fails after another update", func(t *testing.T) {
			s := fresh(t, open)
			orig := NewSeizure(0, T0)
			mustCreate(t, s, orig)
			a, b := clone(orig), clone(orig)
			a.Version, b.Version = 2, 2
			a.Narrative, b.Narrative = "first writer", "second writer"
			if err := s.UpdateSeizure(t.Context(), actor, a); err != nil {
				t.Fatalf("first update: %v", err)
			}
			wantCode(t, s.UpdateSeizure(t.Context(), actor, b), crossguard.EPRECONDITIONFAILED)
			wantEqual(t, "seizure", mustGet(t, s, orig.ID), a)
		})
		t.Run("missing record not found", func(t *testing.T) {
			s := fresh(t, open)
			upd := NewSeizure(0, T0)
			upd.Version = 2
			wantCode(t, s.UpdateSeizure(t.Context(), actor, upd), crossguard.ENOTFOUND)
			wantChain(t, s, 0)
		})
		t.Run("deleted record not found", func(t *testing.T) {
			s := fresh(t, open)
			orig := NewSeizure(0, T0)
			mustCreate(t, s, orig)
			if err := s.DeleteSeizure(t.Context(), actor, orig.ID, 1, T0.Add(time.Hour)); err != nil {
				t.Fatalf("DeleteSeizure: %v", err)
			}
			upd := clone(orig)
			upd.Version = 3
			wantCode(t, s.UpdateSeizure(t.Context(), actor, upd), crossguard.ENOTFOUND)
			upd.Version = 2
			wantCode(t, s.UpdateSeizure(t.Context(), actor, upd), crossguard.ENOTFOUND)
		})
	}
}

// testDelete checks DeleteSeizure and Tombstone.
func testDelete(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		for _, ifVersion := range []int64{0, 1} {
			name := "any version"
			if ifVersion != 0 {
				name = "matching version"
			}
			t.Run(name+" leaves a tombstone", func(t *testing.T) {
				s := fresh(t, open)
				items := NewSeizures(0, 3, T0, time.Hour)
				mustCreate(t, s, items...)
				victim := items[1]
				at := T0.Add(5*time.Hour + 999*time.Nanosecond)
				if err := s.DeleteSeizure(t.Context(), "analyst.ali", victim.ID, ifVersion, at); err != nil {
					t.Fatalf("DeleteSeizure: %v", err)
				}
				_, err := s.Seizure(t.Context(), victim.ID)
				wantCode(t, err, crossguard.ENOTFOUND)
				got, err := s.Tombstone(t.Context(), victim.ID)
				if err != nil {
					t.Fatalf("Tombstone: %v", err)
				}
				want := victim.Header
				want.Version, want.UpdatedAt = victim.Version+1, at
				wantEqual(t, "tombstone", got, &want)
				wantIDs(t, "list after delete", idsOf(mustList(t, s, crossguard.SeizureFilter{}).Items), []string{items[0].ID, items[2].ID})
				trail := auditTrail(t, s, victim.ID)
				if len(trail) != 2 || trail[1].Action != crossguard.ActionSeizureDelete || trail[1].Actor != "analyst.ali" || trail[1].Outcome != crossguard.OutcomeOK {
					t.Fatalf("audit trail %+v, want create then delete by analyst.ali", trail)
				}
				wantChain(t, s, 4)
			})
		}
		t.Run("after updates the tombstone follows the last version", func(t *testing.T) {
			s := fresh(t, open)
			orig := NewSeizure(0, T0)
			mustCreate(t, s, orig)
			upd := clone(orig)
			upd.Version, upd.Marking.TLP, upd.Recipients = 2, crossguard.TLPRed, []string{"af-customs"}
			if err := s.UpdateSeizure(t.Context(), actor, upd); err != nil {
				t.Fatalf("UpdateSeizure: %v", err)
			}
			if err := s.DeleteSeizure(t.Context(), actor, orig.ID, 2, T0.Add(time.Hour)); err != nil {
				t.Fatalf("DeleteSeizure: %v", err)
			}
			got, err := s.Tombstone(t.Context(), orig.ID)
			if err != nil {
				t.Fatalf("Tombstone: %v", err)
			}
			want := upd.Header
			want.Version, want.UpdatedAt = 3, T0.Add(time.Hour)
			wantEqual(t, "tombstone", got, &want)
		})
		t.Run("wrong version fails and keeps the record", func(t *testing.T) {
			s := fresh(t, open)
			orig := NewSeizure(0, T0)
			mustCreate(t, s, orig)
			for _, v := range []int64{2, -1} {
				wantCode(t, s.DeleteSeizure(t.Context(), actor, orig.ID, v, T0), crossguard.EPRECONDITIONFAILED)
			}
			wantEqual(t, "seizure after a refused delete", mustGet(t, s, orig.ID), orig)
			_, err := s.Tombstone(t.Context(), orig.ID)
			wantCode(t, err, crossguard.ENOTFOUND)
			wantChain(t, s, 1)
		})
		t.Run("missing or deleted record not found", func(t *testing.T) {
			s := fresh(t, open)
			wantCode(t, s.DeleteSeizure(t.Context(), actor, SeizureID(0, T0), 0, T0), crossguard.ENOTFOUND)
			orig := NewSeizure(0, T0)
			mustCreate(t, s, orig)
			if err := s.DeleteSeizure(t.Context(), actor, orig.ID, 0, T0.Add(time.Hour)); err != nil {
				t.Fatalf("DeleteSeizure: %v", err)
			}
			wantCode(t, s.DeleteSeizure(t.Context(), actor, orig.ID, 0, T0.Add(2*time.Hour)), crossguard.ENOTFOUND)
			wantCode(t, s.DeleteSeizure(t.Context(), actor, orig.ID, 2, T0.Add(2*time.Hour)), crossguard.ENOTFOUND)
			got, err := s.Tombstone(t.Context(), orig.ID)
			if err != nil || got.Version != 2 {
				t.Fatalf("Tombstone after a second delete = %+v, %v; want version 2", got, err)
			}
			wantChain(t, s, 2)
		})
		t.Run("deleted id cannot be created again", func(t *testing.T) {
			s := fresh(t, open)
			orig := NewSeizure(0, T0)
			mustCreate(t, s, orig)
			if err := s.DeleteSeizure(t.Context(), actor, orig.ID, 0, T0.Add(time.Hour)); err != nil {
				t.Fatalf("DeleteSeizure: %v", err)
			}
			err := s.CreateSeizures(t.Context(), actor, []*crossguard.Seizure{clone(orig)}, nil)
			wantCode(t, err, crossguard.ECONFLICT)
		})
	}
}
