package storekit

import "crossguard"

// ScanTally reads a tally from the columns month, dim, key and n.
func ScanTally(scan Scan) (*crossguard.Tally, error) {
	t := new(crossguard.Tally)
	if err := scan(&t.Month, &t.Dim, &t.Key, &t.Count); err != nil {
		return nil, err
	}
	return t, nil
}
