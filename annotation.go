package crossguard

// MaxAnnotationBytes bounds the text of an annotation.
const MaxAnnotationBytes = 10000

// RecordRef names a record on any node: its id, kind and origin.
type RecordRef struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Origin string `json:"origin"`
}

// Annotation is a comment by one node on a record it holds, often another
// node's. It is a record of its own, owned by the annotating node, so the
// annotated record keeps its single writer; it travels under its own
// distribution and marking, back to the annotated record's origin when
// the policy allows.
type Annotation struct {
	Header
	Target RecordRef `json:"target"`
	Text   string    `json:"text"`
}

// Validate checks the fields a client sets: the text and the sharing
// header fields. The target is checked against the store by the node.
// Personal data in the text is a field error, unless the annotation is
// local (see Warnings).
func (a *Annotation) Validate() error {
	v := newValidator(a.Distribution)
	a.validate(v)
	return v.err("annotation")
}

// Warnings returns what Validate lets pass but the writer should hear:
// personal data in the text of a local annotation.
func (a *Annotation) Warnings() []FieldError {
	v := newValidator(a.Distribution)
	a.validate(v)
	return v.warnings
}

// validate checks the annotation into v.
func (a *Annotation) validate(v *validator) {
	validateSharing(v, a.Distribution, a.Recipients, a.Marking)
	v.freeText("text", a.Text, MaxAnnotationBytes, true)
	if !IsRecordID(a.Target.ID) {
		v.addf("target.id", "must be the id of a record this node holds")
	}
}
