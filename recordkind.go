package crossguard

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

// RecordKind describes a kind of record that lives in the record store
// (RecordStore): how a version received from a peer is checked before it
// is stored. Kinds register themselves in init with RegisterRecordKind, so
// that the federation accepts them without knowing each one.
type RecordKind struct {
	// Check decodes a received record's whole JSON (the header's fields
	// included), checks it as its origin did when it stamped it, and
	// returns the id of the record it refers to ("" for none), which the
	// store keeps as its target.
	Check func(body []byte, h *Header) (target string, err error)
}

var (
	recordKindsMu sync.RWMutex
	recordKinds   = map[string]RecordKind{}
)

// RegisterRecordKind registers a kind of the record store. It panics on
// a kind registered twice or that does not travel in the feed
// (TravelsInFeed): both are bugs.
func RegisterRecordKind(kind string, k RecordKind) {
	recordKindsMu.Lock()
	defer recordKindsMu.Unlock()
	if _, dup := recordKinds[kind]; dup || !TravelsInFeed(kind) {
		panic(fmt.Sprintf("crossguard: record kind %q registered twice or not shareable", kind))
	}
	recordKinds[kind] = k
}

// LookupRecordKind returns a registered kind of the record store.
func LookupRecordKind(kind string) (RecordKind, bool) {
	recordKindsMu.RLock()
	defer recordKindsMu.RUnlock()
	k, ok := recordKinds[kind]
	return k, ok
}

// SameHeader reports whether a and b are the same header. A record's
// header and its body decode from the same bytes, so they differ only if
// the body's type gains a field that shadows a header field (a profile's
// own "version", say): the check keeps such a record from passing as
// another version than the one its header names.
func SameHeader(a, b *Header) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.Origin == b.Origin && a.Version == b.Version &&
		a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt) && a.Distribution == b.Distribution &&
		slices.Equal(a.Recipients, b.Recipients) && a.Marking == b.Marking
}

// CheckRecordBody decodes body into v (a pointer to a record type
// embedding Header), requires its header to be h, and runs validate. It
// is the usual body of a RecordKind's Check.
func CheckRecordBody[T any, P interface {
	*T
	header() *Header
}](body []byte, h *Header, validate func(P) error) (P, error) {
	p := P(new(T))
	if err := json.Unmarshal(body, p); err != nil {
		return nil, fmt.Errorf("malformed %s: %v", h.Kind, err)
	}
	if !SameHeader(p.header(), h) {
		return nil, fmt.Errorf("malformed %s: its header differs from the record's", h.Kind)
	}
	if err := validate(p); err != nil {
		return nil, fmt.Errorf("invalid %s: %w", h.Kind, err)
	}
	return p, nil
}

// header returns the record's header, for CheckRecordBody.
func (h *Header) header() *Header { return h }
