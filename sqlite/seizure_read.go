package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"crossguard"
)

// Seizure returns a live seizure, or ENOTFOUND if it never existed or was
// deleted.
func (s *Store) Seizure(ctx context.Context, id string) (*crossguard.Seizure, error) {
	var body []byte
	err := s.r.QueryRowContext(ctx, `SELECT body FROM seizures WHERE id = ? AND deleted = 0`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "seizure %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("read seizure %s: %w", id, err)
	}
	var sz crossguard.Seizure
	if err := json.Unmarshal(body, &sz); err != nil {
		return nil, fmt.Errorf("read seizure %s: decode: %w", id, err)
	}
	return &sz, nil
}

// Tombstone returns the header of a deleted seizure, or ENOTFOUND (for a
// withdrawn copy too: this node no longer holds anything of it).
func (s *Store) Tombstone(ctx context.Context, id string) (*crossguard.Header, error) {
	var body []byte
	err := s.r.QueryRowContext(ctx, `SELECT body FROM seizures WHERE id = ? AND deleted = 1 AND withdrawn = 0`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "no deleted seizure %s", id)
	} else if err != nil {
		return nil, fmt.Errorf("read tombstone %s: %w", id, err)
	}
	var h crossguard.Header
	if err := json.Unmarshal(body, &h); err != nil {
		return nil, fmt.Errorf("read tombstone %s: decode: %w", id, err)
	}
	return &h, nil
}

// ChangeSeq returns the change sequence number of the latest version of
// record id (a seizure or a record of another kind), in any state, or
// ENOTFOUND. It implements storetest.ChangeSeqer.
func (s *Store) ChangeSeq(ctx context.Context, id string) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, `SELECT seq FROM seizures WHERE id = ?1 UNION ALL SELECT seq FROM records WHERE id = ?1`, id).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, crossguard.Errorf(crossguard.ENOTFOUND, "seizure %s not found", id)
	} else if err != nil {
		return 0, fmt.Errorf("read change sequence of %s: %w", id, err)
	}
	return seq, nil
}
