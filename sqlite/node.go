package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"crossguard"
)

// InitNode records the node's identity; ECONFLICT if the database already
// belongs to a node.
func (s *Store) InitNode(ctx context.Context, n *crossguard.NodeInfo) error {
	return s.write(ctx, "init node", func(tx *writeTx) error {
		var existing string
		err := tx.QueryRowContext(ctx, `SELECT node_id FROM node WHERE singleton = 1`).Scan(&existing)
		switch {
		case err == nil:
			return crossguard.Errorf(crossguard.ECONFLICT, "database already belongs to node %s", existing)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("init node: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO node (singleton, node_id, agency, node, country, name, public_key, created_at)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?)`, n.ID, n.Agency, n.Node, n.Country, n.Name, n.PublicKey, formatTime(n.CreatedAt))
		if err != nil {
			return fmt.Errorf("init node: %w", err)
		}
		return nil
	})
}

// Node returns the node's identity, or ENOTFOUND before InitNode.
func (s *Store) Node(ctx context.Context) (*crossguard.NodeInfo, error) {
	var n crossguard.NodeInfo
	var created string
	err := s.r.QueryRowContext(ctx, `SELECT node_id, agency, node, country, name, public_key, created_at FROM node WHERE singleton = 1`).
		Scan(&n.ID, &n.Agency, &n.Node, &n.Country, &n.Name, &n.PublicKey, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "the database does not belong to a node yet: run crossguard init")
	} else if err != nil {
		return nil, fmt.Errorf("read node: %w", err)
	}
	if n.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("read node: %w", err)
	}
	return &n, nil
}
