package storekit

import "crossguard"

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
