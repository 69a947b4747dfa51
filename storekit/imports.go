package storekit

import "crossguard"

// ImportMoved returns the ECONFLICT error of a store that refuses progress p
// because the saved progress is no longer at p.From (see
// crossguard.ImportProgress).
func ImportMoved(p *crossguard.ImportProgress) error {
	return crossguard.Errorf(crossguard.ECONFLICT, "the import of %s moved on from line %d meanwhile: another import of the same file is running or ran since this one started; nothing of this batch was stored (run the import again to resume where it now stands)", p.FileName, p.From)
}
