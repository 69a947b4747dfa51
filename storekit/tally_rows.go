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

// TallyMonthRange checks the bounds of a SeizureTallies call (see
// CheckTallyMonths) and returns them as a store compares them: an empty
// toMonth becomes "9999-12", after every month.
func TallyMonthRange(fromMonth, toMonth string) (string, string, error) {
	if err := CheckTallyMonths(fromMonth, toMonth); err != nil {
		return "", "", err
	}
	if toMonth == "" {
		toMonth = "9999-12"
	}
	return fromMonth, toMonth, nil
}
