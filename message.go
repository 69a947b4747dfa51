package crossguard

// KindMessage is the kind of a coordination message inside a joint
// operation.
const KindMessage = "message"

// MaxMessageBytes bounds the text of a message.
const MaxMessageBytes = 10000

// Message is free text exchanged among the participants of a joint
// operation for coordination. It goes to every participant and nobody
// else; its target is the operation.
type Message struct {
	Header
	Operation string `json:"operation"`
	Text      string `json:"text"`
}

// Normalize sets the kind and the distribution (network); the recipients
// are the operation's participants, set by the node.
func (m *Message) Normalize() {
	m.Kind = KindMessage
	m.Distribution = DistNetwork
}

// Validate checks the message's text, operation and sharing header.
func (m *Message) Validate() error {
	v := newValidator(m.Distribution)
	if !IsRecordID(m.Operation) {
		v.addf("operation", "must be the id of an operation")
	}
	v.freeText("text", m.Text, MaxMessageBytes, true)
	if len(m.Recipients) == 0 {
		v.addf("recipients", "required: the operation's participants")
	}
	validateOperationSharing(v, &m.Header, m.Recipients)
	return v.err("message")
}

func init() {
	RegisterRecordKind(KindMessage, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		m, err := CheckRecordBody(body, h, (*Message).Validate)
		if err != nil {
			return "", err
		}
		return m.Operation, nil
	}})
}
