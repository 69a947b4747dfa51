package crossguard

import (
	"fmt"
	"regexp"
	"slices"
	"time"
)

// KindAgreement is the kind of a cooperation agreement record.
const KindAgreement = "agreement"

// Commitment types: what an agreement's commitment promises.
const (
	CommitmentExercise             = "exercise"
	CommitmentTraining             = "training"
	CommitmentVisit                = "visit"
	CommitmentIntelligenceExchange = "intelligence_exchange"
	CommitmentOther                = "other"
)

// CommitmentTypes lists the types of a commitment.
var CommitmentTypes = []string{CommitmentExercise, CommitmentTraining, CommitmentVisit, CommitmentIntelligenceExchange, CommitmentOther}

// Agreement limits.
const (
	MaxCommitments   = 200
	MaxRetentionDays = 36500
)

// commitmentIDPattern is the form of a commitment id: short and readable,
// such as "ex-1" or "training.2027".
var commitmentIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// AgreementScope says what the parties of an agreement exchange: the
// record kinds, the marking records get by default, and how many days a
// receiver keeps them (0: as long as its own rules say).
type AgreementScope struct {
	Kinds          []string `json:"kinds,omitempty"`
	DefaultMarking Marking  `json:"default_marking"`
	RetentionDays  int      `json:"retention_days,omitempty"`
}

// Commitment is one thing an agreement's parties promise: an exercise, a
// training, a visit, an exchange of intelligence or another task, owned
// by one party (an agency, never a person) and due by a date.
type Commitment struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Title       string `json:"title"`
	Owner       string `json:"owner"` // agency id, one of the parties
	Due         string `json:"due"`   // YYYY-MM-DD
	Description string `json:"description,omitempty"`
}

// Agreement is a cooperation agreement between agencies. One node writes
// it and is its only writer; it travels to the parties and nobody else
// (distribution network, the parties as named recipients). Each party
// reports on the commitments it owns with progress records of its own.
type Agreement struct {
	Header
	Title       string         `json:"title"`
	Parties     []string       `json:"parties"`   // agency ids, the writer's included
	SignedOn    string         `json:"signed_on"` // YYYY-MM-DD
	Scope       AgreementScope `json:"scope"`
	Commitments []Commitment   `json:"commitments"`
}

// Commitment returns the commitment id of the agreement, or nil.
func (a *Agreement) Commitment(id string) *Commitment {
	for i := range a.Commitments {
		if a.Commitments[i].ID == id {
			return &a.Commitments[i]
		}
	}
	return nil
}

// Validate checks an agreement as its origin stamps it: the fields a
// client sets, and the sharing that makes it reach the parties alone
// (distribution network, recipients the parties, the writer a party).
func (a *Agreement) Validate() error {
	v := newValidator(a.Distribution)
	validateSharing(v, a.Distribution, a.Recipients, a.Marking)
	validateParties(v, a.Distribution, a.Recipients, a.Parties)
	v.freeText("title", a.Title, 200, true)
	if a.Origin != "" && !slices.Contains(a.Parties, Agency(a.Origin)) {
		v.addf("parties", "must include the writer's agency %s", Agency(a.Origin))
	}
	validateDay(v, "signed_on", a.SignedOn, true)
	for i, k := range a.Scope.Kinds {
		path := fmt.Sprintf("scope.kinds[%d]", i)
		v.oneOf(path, k, ShareableKinds)
		if slices.Index(a.Scope.Kinds, k) < i {
			v.addf(path, "%q is listed twice", k)
		}
	}
	if a.Scope.DefaultMarking != (Marking{}) {
		a.Scope.DefaultMarking.validate(v, "scope.default_marking")
	}
	if a.Scope.RetentionDays < 0 || a.Scope.RetentionDays > MaxRetentionDays {
		v.addf("scope.retention_days", "%d days, between 0 (no limit of the agreement's own) and %d", a.Scope.RetentionDays, MaxRetentionDays)
	}
	if len(a.Commitments) > MaxCommitments {
		v.addf("commitments", "%d commitments, at most %d", len(a.Commitments), MaxCommitments)
	}
	for i, c := range a.Commitments {
		path := fmt.Sprintf("commitments[%d]", i)
		if !commitmentIDPattern.MatchString(c.ID) {
			v.addf(path+".id", "%q is not a commitment id: up to 32 letters, digits, dots, hyphens or underscores, e.g. ex-1", c.ID)
		} else if slices.IndexFunc(a.Commitments, func(o Commitment) bool { return o.ID == c.ID }) < i {
			v.addf(path+".id", "%q is the id of an earlier commitment", c.ID)
		}
		v.oneOf(path+".type", c.Type, CommitmentTypes)
		v.freeText(path+".title", c.Title, 200, true)
		if c.Owner == "" {
			v.addf(path+".owner", "required: the party (agency id) that carries the commitment out")
		} else if !slices.Contains(a.Parties, c.Owner) {
			v.addf(path+".owner", "%q is not one of the parties", c.Owner)
		}
		validateDay(v, path+".due", c.Due, true)
		v.freeText(path+".description", c.Description, 4000, false)
	}
	return v.err("agreement")
}

// validateParties checks a list of agency ids that a record is shared
// with: at least two, well formed, none twice; and that the record goes
// to them alone, by distribution network with them as the recipients.
func validateParties(v *validator, dist string, recipients, parties []string) {
	switch {
	case len(parties) < 2:
		v.addf("parties", "at least two agencies, the writer's included")
	case len(parties) > MaxRecipients:
		v.addf("parties", "%d agencies, at most %d", len(parties), MaxRecipients)
	}
	for i, p := range parties {
		path := fmt.Sprintf("parties[%d]", i)
		if err := CheckAgencyID(p); err != nil {
			v.check(path, err)
		} else if slices.Index(parties, p) < i {
			v.addf(path, "%q is listed twice", p)
		}
	}
	validateProgrammeSharing(v, dist, recipients, parties)
}

// validateProgrammeSharing requires distribution network and recipients that
// are exactly want (in any order): records of the cooperation programme
// reach the agencies concerned and no others.
func validateProgrammeSharing(v *validator, dist string, recipients, want []string) {
	if dist != "" && dist != DistNetwork {
		v.addf("distribution", "must be network (the record goes to its named recipients wherever they are), not %q", dist)
	}
	if !sameAgencies(recipients, want) {
		v.addf("recipients", "must be the agencies concerned (%v); leave it out and the node sets it", want)
	}
}

// sameAgencies reports whether a and b hold the same strings.
func sameAgencies(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// validateDay checks a YYYY-MM-DD date, required or optional.
func validateDay(v *validator, field, s string, required bool) bool {
	if s == "" {
		if required {
			v.addf(field, "required, a date such as 2027-03-15")
		}
		return false
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		v.addf(field, "%q is not a date such as 2027-03-15", s)
		return false
	}
	return true
}

func init() {
	RegisterRecordKind(KindAgreement, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		_, err := CheckRecordBody(body, h, (*Agreement).Validate)
		return "", err
	}})
}
