package federation

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"crossguard"
	"crossguard/canonjson"
	"crossguard/risk/profiles"
)

// Sign returns a record version signed by key: the RFC 8785 canonical form
// of the record JSON and the Ed25519 signature over it.
func Sign(key ed25519.PrivateKey, record []byte) (*crossguard.SignedRecord, error) {
	canon, err := canonjson.Canonicalize(record)
	if err != nil {
		return nil, fmt.Errorf("sign record: %w", err)
	}
	sig := ed25519.Sign(key, canon)
	return &crossguard.SignedRecord{Record: canon, Signature: base64.StdEncoding.EncodeToString(sig)}, nil
}

// tombstone is the record version that says its origin deleted it.
type tombstone struct {
	crossguard.Header
	Deleted bool `json:"deleted"`
}

// TombstoneJSON returns the record JSON of a deleted record's last version.
func TombstoneJSON(h crossguard.Header) ([]byte, error) {
	b, err := json.Marshal(tombstone{Header: h, Deleted: true})
	if err != nil {
		return nil, fmt.Errorf("encode tombstone of %s: %w", h.ID, err)
	}
	return b, nil
}

// Keys finds the public key of a known origin node.
type Keys func(origin string) (ed25519.PublicKey, bool)

// Refused is an envelope that cannot be accepted, with the reason in words.
type Refused struct {
	crossguard.Refusal
}

func (r *Refused) Error() string {
	if r.ID != "" {
		return fmt.Sprintf("%s %s from %s: %s", r.Kind, r.ID, r.Origin, r.Reason)
	}
	return r.Reason
}

// refuse returns a *Refused for the header h.
func refuse(h *crossguard.Header, format string, args ...any) *Refused {
	return &Refused{crossguard.Refusal{ID: h.ID, Kind: h.Kind, Origin: h.Origin, Reason: fmt.Sprintf(format, args...)}}
}

// nodeIDPattern matches a node id, AGENCY/NODE.
var nodeIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9-]{0,62}$`)

// Kinds this node can store besides those registered with
// crossguard.RegisterRecordKind. Other shareable kinds arrive with later
// protocol features and are refused by name until then.
var supportedKinds = []string{crossguard.KindSeizure, crossguard.KindAnnotation, crossguard.KindProfile}

// Open checks one signed record version and decodes it: size, header, a
// known origin, the origin's signature (over the bytes as received or, if
// they were re-encoded on the way, over their RFC 8785 canonical form),
// and the body of its kind. It returns a *Refused saying why when any check fails. The
// sharing policy is checked by the caller, which knows the sender.
func Open(sr *crossguard.SignedRecord, keys Keys) (*crossguard.Incoming, error) {
	return openRecord(sr, keys, nil, false)
}

// OpenWithHistory is Open for a node that also knows the keys its origins
// retired by key handovers: a version signed by a retired key is accepted
// only if it was made before the handover that retired it (see
// verifyRetired).
func OpenWithHistory(sr *crossguard.SignedRecord, keys Keys, retired RetiredKeys) (*crossguard.Incoming, error) {
	return openRecord(sr, keys, retired, false)
}

// Recheck runs the checks of OpenWithHistory on a version this node
// holds, as a rescan does: the same checks, except that a version whose
// origin is no longer known (its card removed since) is not refused for
// that, its signature having been verified when it was received. The
// signature of a known origin is verified again, with its retired keys.
func Recheck(sr *crossguard.SignedRecord, keys Keys, retired RetiredKeys) (*crossguard.Incoming, error) {
	return openRecord(sr, keys, retired, true)
}

// openRecord is OpenWithHistory, or Recheck if held.
func openRecord(sr *crossguard.SignedRecord, keys Keys, retired RetiredKeys, held bool) (*crossguard.Incoming, error) {
	var h crossguard.Header
	if len(sr.Record) > MaxRecordBytes {
		return nil, refuse(&h, "record of %d bytes, over the protocol's limit of %d", len(sr.Record), MaxRecordBytes)
	}
	var head struct {
		crossguard.Header
		Deleted bool `json:"deleted"`
	}
	if err := json.Unmarshal(sr.Record, &head); err != nil {
		return nil, refuse(&h, "malformed record header: %v", err)
	}
	h = head.Header
	switch {
	case !crossguard.IsRecordID(h.ID):
		return nil, refuse(&h, "malformed record: id %q is not a UUID", h.ID)
	case !nodeIDPattern.MatchString(h.Origin):
		return nil, refuse(&h, "malformed record: origin %q is not AGENCY/NODE", h.Origin)
	case h.Version < 1:
		return nil, refuse(&h, "malformed record: version %d", h.Version)
	case !crossguard.TravelsInFeed(h.Kind):
		return nil, refuse(&h, "kind %q is not a shareable record kind", h.Kind)
	}
	key, ok := keys(h.Origin)
	if !ok && !held {
		return nil, refuse(&h, "origin %s is not a known node (add its card with crossguard peer add, --origin-only if it is not a direct peer)", h.Origin)
	}
	sig, err := base64.StdEncoding.DecodeString(sr.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, refuse(&h, "malformed signature")
	}
	// Signed records travel in their canonical form, so the bytes as
	// received normally verify; only if they do not is the record
	// canonicalized (it may have been re-encoded on the way) and checked
	// again.
	canon := []byte(sr.Record)
	if ok && !ed25519.Verify(key, canon, sig) {
		c, err := canonjson.Canonicalize(sr.Record)
		if err != nil {
			return nil, refuse(&h, "malformed record: %v", err)
		}
		if bytes.Equal(c, canon) || !ed25519.Verify(key, c, sig) {
			if canon, err = verifyRetired(&h, sr.Record, c, sig, retired); err != nil {
				return nil, err
			}
		} else {
			canon = c
		}
	}
	in := &crossguard.Incoming{Header: h, Deleted: head.Deleted, Signed: crossguard.SignedRecord{Record: canon, Signature: sr.Signature}}
	if head.Deleted {
		// A tombstone carries its header and "deleted": true, nothing else.
		if err := crossguard.DecodeRecord(canon, &tombstone{}); err != nil {
			return nil, refuse(&h, "malformed tombstone: %v", err)
		}
		return in, nil
	}
	if _, registered := crossguard.LookupRecordKind(h.Kind); !registered && !slices.Contains(supportedKinds, h.Kind) {
		return nil, refuse(&h, "%s records are not yet supported by this node (protocol %d)", h.Kind, crossguard.ProtocolVersion)
	}
	if err := decodeBody(in, canon); err != nil {
		return nil, refuse(&h, "%v", err)
	}
	return in, nil
}

// decodeBody decodes and validates the body of a live record version, as
// strictly as a local write of its kind (see crossguard.DecodeRecord).
func decodeBody(in *crossguard.Incoming, canon []byte) error {
	h := &in.Header
	switch h.Kind {
	case crossguard.KindSeizure:
		var s crossguard.Seizure
		if err := crossguard.DecodeRecord(canon, &s); err != nil {
			return fmt.Errorf("malformed seizure: %v", err)
		}
		// The origin validated the record against its own clock when it
		// stamped it; its update time stands in for that clock here.
		if err := s.Validate(h.UpdatedAt); err != nil {
			return fmt.Errorf("invalid seizure: %s", flatten(err))
		}
		in.Seizure = &s
	case crossguard.KindAnnotation:
		var a crossguard.Annotation
		if err := crossguard.DecodeRecord(canon, &a); err != nil {
			return fmt.Errorf("malformed annotation: %v", err)
		}
		if err := a.Validate(); err != nil {
			return fmt.Errorf("invalid annotation: %s", flatten(err))
		}
		in.Target = a.Target.ID
	case crossguard.KindProfile:
		var p crossguard.Profile
		if err := crossguard.DecodeRecord(canon, &p); err != nil {
			return fmt.Errorf("malformed profile: %v", err)
		}
		if !crossguard.SameHeader(&p.Header, h) {
			return fmt.Errorf("malformed profile: its header differs from the record's")
		}
		// As a local write: the fields, then the meaning of the
		// conditions, whose values are JSON of any shape until checked.
		if err := p.Validate(); err != nil {
			return fmt.Errorf("invalid profile: %s", flatten(err))
		}
		if err := profiles.Check(&p); err != nil {
			return fmt.Errorf("invalid profile: %s", flatten(err))
		}
	default:
		k, _ := crossguard.LookupRecordKind(h.Kind)
		target, err := k.Check(canon, h)
		if err != nil {
			return fmt.Errorf("%s", flattenWrapped(err))
		}
		in.Target = target
	}
	return nil
}

// flattenWrapped renders an error from a RecordKind's Check on one line,
// with the fields of a validation error it wraps.
func flattenWrapped(err error) string {
	if fs := crossguard.ErrorFields(err); len(fs) > 0 {
		var parts []string
		for _, f := range fs {
			parts = append(parts, f.Field+": "+f.Message)
		}
		slices.Sort(parts)
		msg := err.Error()
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[:i]
		}
		return msg + ": " + strings.Join(parts, "; ")
	}
	return err.Error()
}

// flatten renders a validation error with its fields on one line.
func flatten(err error) string {
	var parts []string
	for _, f := range crossguard.ErrorFields(err) {
		parts = append(parts, f.Field+": "+f.Message)
	}
	slices.Sort(parts)
	if len(parts) == 0 {
		return err.Error()
	}
	return strings.Join(parts, "; ")
}
