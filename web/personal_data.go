package web

import "crossguard"

// personalDataError returns what a form shows beside a field that the
// node refused for personal data in its text, in the reader's language:
// the finding, masked, and how to describe a person instead. It returns
// "" for any other field error, which the form words its own way.
func personalDataError(tr *Translator, e crossguard.FieldError) string {
	if e.PersonalData == nil {
		return ""
	}
	return tr.T("personaldata.error", e.PersonalData.Masked)
}
