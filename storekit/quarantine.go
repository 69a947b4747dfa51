package storekit

import "crossguard"

// ScanHeldVersion reads a received version held from the columns kind,
// id, origin, version, deleted, via, signed and sig.
func ScanHeldVersion(scan Scan) (*crossguard.HeldVersion, error) {
	return scanHeld(scan)
}

// scanHeld reads the columns of ScanHeldVersion, and then any further
// destinations more.
func scanHeld(scan Scan, more ...any) (*crossguard.HeldVersion, error) {
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
	v, err := scanHeld(scan, &q.Reason, &q.Actor, &at)
	if err != nil {
		return nil, err
	}
	q.HeldVersion, q.At = *v, at.Time
	return &q, nil
}

// ScanSigned reads the signed record a row holds from the columns signed
// and sig, either NULL: nil if signed is NULL (the node's own records and
// withdrawn copies keep none), as apply.Quarantine takes it.
func ScanSigned(scan Scan) (*crossguard.SignedRecord, error) {
	var signed, sig *string
	if err := scan(&signed, &sig); err != nil || signed == nil {
		return nil, err
	}
	r := &crossguard.SignedRecord{Record: []byte(*signed)}
	if sig != nil {
		r.Signature = *sig
	}
	return r, nil
}
