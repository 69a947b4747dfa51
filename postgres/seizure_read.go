package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// Seizure returns a live seizure, own or received, or ENOTFOUND if it
// never existed, was deleted or was withdrawn.
func (s *Store) Seizure(ctx context.Context, id string) (*crossguard.Seizure, error) {
	var body []byte
	err := s.pool.QueryRow(ctx, `SELECT body FROM seizures WHERE id = $1 AND NOT deleted`, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "seizure %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("seizure %s: %w", id, err)
	}
	sz, err := decodeSeizure(body)
	if err != nil {
		return nil, fmt.Errorf("seizure %s: %w", id, err)
	}
	return sz, nil
}

// Tombstone returns the header of a deleted seizure, or ENOTFOUND if it is
// live, withdrawn or never existed.
func (s *Store) Tombstone(ctx context.Context, id string) (*crossguard.Header, error) {
	var body []byte
	err := s.pool.QueryRow(ctx, `SELECT body FROM seizures WHERE id = $1 AND deleted AND NOT withdrawn`, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "no deleted seizure %s", id)
	}
	if err != nil {
		return nil, fmt.Errorf("tombstone %s: %w", id, err)
	}
	var h crossguard.Header
	if err := json.Unmarshal(body, &h); err != nil {
		return nil, fmt.Errorf("tombstone %s: decode: %w", id, err)
	}
	return &h, nil
}

// decodeSeizure decodes a stored seizure body.
func decodeSeizure(body []byte) (*crossguard.Seizure, error) {
	var sz crossguard.Seizure
	if err := json.Unmarshal(body, &sz); err != nil {
		return nil, fmt.Errorf("decode stored seizure: %w", err)
	}
	return &sz, nil
}
