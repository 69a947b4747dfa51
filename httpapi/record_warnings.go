package httpapi

import (
	"crossguard"
	"crossguard/node"
)

// The answers of the writes that may store a record with warnings: the
// record as before and, only when there is something to say, "warnings",
// a list of field errors that did not stop the write. Today they are
// personal data found in the free text of a local record, which is kept
// because it never leaves the node but could not be shared as it is.

// seizureAnswer is a seizure as POST and PUT answer it.
type seizureAnswer struct {
	*crossguard.Seizure
	Warnings []crossguard.FieldError `json:"warnings,omitempty"`
}

// annotationAnswer is an annotation as POST answers it.
type annotationAnswer struct {
	*crossguard.Annotation
	Warnings []crossguard.FieldError `json:"warnings,omitempty"`
}

// profileAnswer is a profile as POST and PUT answer it.
type profileAnswer struct {
	*node.ProfileView
	Warnings []crossguard.FieldError `json:"warnings,omitempty"`
}
