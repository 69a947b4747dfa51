package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testRiskLocal checks that nothing of risk targeting takes a change
// sequence number or enters the change feed: declarations never leave the
// node, and the watch list, models and profile states are its own.
func testRiskLocal(t *testing.T, open Opener) {
	t.Run("never in the change feed", func(t *testing.T) {
		s := fedBare(t, open)
		first := NewSeizure(0, T0)
		mustCreate(t, s, first) // change 1

		e := NewDeclarationEntry(1, "torkham", riskT0)
		e.Decision = NewDecision(1, crossguard.ChannelRed, crossguard.SelectedProfile, 0.9, "torkham", riskT0, "p-1")
		e.Inspection = FileInspection(1, crossguard.Label{Fraud: 1, Critical: 2}, riskT0)
		mustSaveDeclarations(t, s, e, NewDeclarationEntry(2, "torkham", riskT0))
		steps := []struct {
			what string
			err  error
		}{
			{"RecordInspection", s.RecordInspection(t.Context(), actor, NewInspection(2, crossguard.ResultIrregularity, 5, riskT0))},
			{"PutWatch", s.PutWatch(t.Context(), actor, newWatch("w-1", "container", "MSCU7654321", crossguard.ChannelRed, riskT0, riskT0.Add(time.Hour)))},
			{"RemoveWatch", s.RemoveWatch(t.Context(), actor, "w-1", riskT0.Add(time.Minute))},
			{"SaveModel", s.SaveModel(t.Context(), actor, newModelInfo(1, riskT0), []byte("model"))},
			{"ActivateModel", s.ActivateModel(t.Context(), actor, 1, riskT0)},
			{"SetProfileState", s.SetProfileState(t.Context(), actor, "p-1", crossguard.ProfileDisabled, riskT0)},
		}
		for _, st := range steps {
			if st.err != nil {
				t.Fatalf("%s: %v", st.what, st.err)
			}
		}

		all, head := changesAfter(t, s, 0)
		if head != 1 || len(all) != 1 || all[0].Header.ID != first.ID {
			t.Fatalf("change feed of %d changes at head %d after risk writes, want only seizure %s at head 1", len(all), head, first.ID)
		}
		cs, ok := s.(ChangeSeqer)
		if !ok {
			t.Fatalf("%T does not implement storetest.ChangeSeqer", s)
		}
		for _, id := range []string{string(DeclarationID(1)), string(DeclarationID(2)), "w-1", "p-1"} {
			if seq, err := cs.ChangeSeq(t.Context(), id); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
				t.Fatalf("ChangeSeq(%s) = %d, %v; want ENOTFOUND: it is not a record", id, seq, err)
			}
		}
		next := NewSeizure(1, T0)
		mustCreate(t, s, next)
		if seq := changeSeq(t, s, next.ID); seq != 2 {
			t.Fatalf("the next seizure took change %d, want 2: risk writes took change numbers", seq)
		}
	})
}
