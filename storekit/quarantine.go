package storekit

import "crossguard"

// ScanHeldVersion reads a received version held from the columns kind,
// id, origin, version, deleted, via, signed and sig, and any further
// destinations more.
func ScanHeldVersion(scan Scan, more ...any) (*crossguard.HeldVersion, error) {
	var v crossguard.HeldVersion
	var signed string
	if err := scan(append([]any{&v.Kind, &v.ID, &v.Origin, &v.Version, &v.Deleted, &v.Via, &signed, &v.Signed.Signature}, more...)...); err != nil {
		return nil, err
	}
	v.Signed.Record = []byte(signed)
	return &v, nil
}

// ScanQuarantined reads a version of the quarantine from the columns of
// ScanHeldVersion followed by reason, actor and quarantined_at.
func ScanQuarantined(scan Scan) (*crossguard.Quarantined, error) {
	var q crossguard.Quarantined
	var at Time
	v, err := ScanHeldVersion(scan, &q.Reason, &q.Actor, &at)
	if err != nil {
		return nil, err
	}
	q.HeldVersion, q.At = *v, at.Time
	return &q, nil
}
