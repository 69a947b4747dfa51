package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.FeedStore = (*Store)(nil)

// changesSQL reads the node's head, its id and the changes after $1, at
// most $2, in one statement and so one snapshot: the head is never behind
// the changes returned. Each table gives its first $2 rows through its
// index on seq, and the two runs are merged in seq order. The LEFT JOIN
// keeps the one heads row when there are no changes.
const changesSQL = `SELECT h.change_seq, coalesce((SELECT node_id FROM node), ''),
    c.seq, coalesce(c.origin, ''), coalesce(c.deleted, false), coalesce(c.withdrawn, false), c.body,
    coalesce(c.via, ''), c.signed, c.sig, c.path
FROM heads h LEFT JOIN LATERAL (
    (SELECT seq, origin, deleted, withdrawn, body, via, signed, sig, path
     FROM seizures WHERE seq > $1 ORDER BY seq LIMIT $2)
    UNION ALL
    (SELECT seq, origin, deleted, withdrawn, body, via, signed, sig, path
     FROM records WHERE seq > $1 ORDER BY seq LIMIT $2)
    ORDER BY seq LIMIT $2
) c ON true
ORDER BY c.seq`

// Changes returns up to limit records whose latest change is after the
// cursor, in change order, and the node's last change sequence number.
// A live received record comes with the peer it is held from and the path
// of that peer's offer.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]*crossguard.Change, int64, error) {
	limit = max(limit, 0)
	rows, err := s.pool.Query(ctx, changesSQL, after, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("changes after %d: %w", after, err)
	}
	var (
		head               int64
		self, origin       string
		via                string
		seq                *int64
		deleted, withdrawn bool
		body               []byte
		signed, sig, path  *string
		changes            = []*crossguard.Change{}
	)
	_, err = pgx.ForEachRow(rows, []any{&head, &self, &seq, &origin, &deleted, &withdrawn, &body, &via, &signed, &sig, &path}, func() error {
		if seq == nil {
			return nil // no changes: only the head
		}
		c := &crossguard.Change{Seq: *seq, Via: via, State: crossguard.StateLive}
		switch {
		case withdrawn:
			c.State = crossguard.StateWithdrawn
		case deleted:
			c.State = crossguard.StateDeleted
		}
		if err := json.Unmarshal(body, &c.Header); err != nil {
			return fmt.Errorf("decode the header of change %d: %w", *seq, err)
		}
		if c.State == crossguard.StateWithdrawn {
			c.Header = crossguard.Header{ID: c.Header.ID, Kind: c.Header.Kind, Origin: c.Header.Origin, Version: c.Header.Version}
		}
		if c.State == crossguard.StateLive && origin == self {
			c.Body = json.RawMessage(append([]byte(nil), body...))
		}
		if signed != nil && sig != nil && c.State != crossguard.StateWithdrawn {
			c.Signed = &crossguard.SignedRecord{Record: json.RawMessage(*signed), Signature: *sig}
		}
		if path != nil && c.State == crossguard.StateLive && origin != self {
			if err := json.Unmarshal([]byte(*path), &c.Path); err != nil {
				return fmt.Errorf("decode the path of change %d: %w", *seq, err)
			}
		}
		changes = append(changes, c)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("changes after %d: %w", after, err)
	}
	return changes, head, nil
}

// sharedWithSQL reads what a peer ($1) may hold among ids ($2): the version
// last served, or 0 for a withdrawal served and not yet acknowledged (the
// peer may still hold the record, and the feed withdraws it again).
const sharedWithSQL = `SELECT record_id, CASE WHEN withdrawn_seq IS NULL THEN version ELSE 0 END
FROM shares WHERE peer = $1 AND record_id = ANY($2)`

// SharedWith returns, among ids, the records the peer may hold, with the
// version last served to it, or 0 for those whose withdrawal was served
// but not yet acknowledged.
func (s *Store) SharedWith(ctx context.Context, peer string, ids []string) (map[string]int64, error) {
	shared := make(map[string]int64)
	if len(ids) == 0 {
		return shared, nil
	}
	rows, err := s.pool.Query(ctx, sharedWithSQL, peer, ids)
	if err != nil {
		return nil, fmt.Errorf("shared with %s: %w", peer, err)
	}
	var id string
	var version int64
	_, err = pgx.ForEachRow(rows, []any{&id, &version}, func() error {
		shared[id] = version
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("shared with %s: %w", peer, err)
	}
	return shared, nil
}

// SharedIDs returns every record the peer may hold, by id, those whose
// withdrawal is not yet acknowledged included.
func (s *Store) SharedIDs(ctx context.Context, peer string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT record_id FROM shares WHERE peer = $1 ORDER BY record_id`, peer)
	if err != nil {
		return nil, fmt.Errorf("ids shared with %s: %w", peer, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("ids shared with %s: %w", peer, err)
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}
