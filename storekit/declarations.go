package storekit

import (
	"slices"
	"strconv"

	"crossguard"
)

// CheckDeclarationEntries refuses entries without a declaration or id, whose
// decision or inspection names another declaration (crossguard.EINVALID), and ids
// repeated within the batch (crossguard.ECONFLICT): what both stores check before
// SaveDeclarations writes anything.
func CheckDeclarationEntries(entries []*crossguard.DeclarationEntry) error {
	seen := make(map[crossguard.Code]bool, len(entries))
	for i, e := range entries {
		if e == nil || e.Declaration == nil || e.Declaration.DeclarationID == "" {
			return crossguard.Errorf(crossguard.EINVALID, "entry %d of the batch has no declaration id", i)
		}
		id := e.Declaration.DeclarationID
		if seen[id] {
			return crossguard.Errorf(crossguard.ECONFLICT, "declaration %s is twice in the batch", id)
		}
		seen[id] = true
		if e.Decision != nil && e.Decision.DeclarationID != "" && e.Decision.DeclarationID != string(id) {
			return crossguard.Errorf(crossguard.EINVALID, "the decision of declaration %s names declaration %s", id, e.Decision.DeclarationID)
		}
		if e.Inspection != nil && e.Inspection.DeclarationID != "" && e.Inspection.DeclarationID != string(id) {
			return crossguard.Errorf(crossguard.EINVALID, "the inspection of declaration %s names declaration %s", id, e.Inspection.DeclarationID)
		}
	}
	return nil
}

// UniqueProfiles returns ids without repeats, in their first order: the
// profiles of a decision as the stores keep them.
func UniqueProfiles(ids []string) []string {
	if len(ids) < 2 {
		return ids
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// DeclarationBatchAudit returns the one audit entry of a batch of
// declarations saved by actor (at least one), at the latest time one of
// them was received, with their count, the first and last id and how
// many had a decision and an inspection.
func DeclarationBatchAudit(actor string, entries []*crossguard.DeclarationEntry) *crossguard.AuditEntry {
	at := entries[0].ReceivedAt
	var nDecisions, nInspections int
	for _, e := range entries {
		if e.ReceivedAt.After(at) {
			at = e.ReceivedAt
		}
		if e.Decision != nil {
			nDecisions++
		}
		if e.Inspection != nil {
			nInspections++
		}
	}
	return &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionDeclarationSave,
		RecordKind: crossguard.AuditKindDeclaration, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("count", strconv.Itoa(len(entries)),
			"first", string(entries[0].Declaration.DeclarationID), "last", string(entries[len(entries)-1].Declaration.DeclarationID),
			"decisions", strconv.Itoa(nDecisions), "inspections", strconv.Itoa(nInspections))}
}

// InspectionAudit returns the audit entry of inspection in recorded by
// actor, replacing an earlier one if replaced.
func InspectionAudit(actor string, in *crossguard.Inspection, replaced bool) *crossguard.AuditEntry {
	kv := []string{"result", in.Result, "source", in.Source}
	if in.SeizureID != "" {
		kv = append(kv, "seizure_id", in.SeizureID)
	}
	if replaced {
		kv = append(kv, "replaced", "true")
	}
	return &crossguard.AuditEntry{At: in.At, Actor: actor, Action: crossguard.ActionInspection,
		RecordKind: crossguard.AuditKindDeclaration, RecordID: in.DeclarationID, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail(kv...)}
}

// CheckInspection returns the EINVALID error of an inspection to record
// without the id of its declaration.
func CheckInspection(in *crossguard.Inspection) error {
	if in == nil || in.DeclarationID == "" {
		return crossguard.Errorf(crossguard.EINVALID, "an inspection needs the id of its declaration")
	}
	return nil
}
