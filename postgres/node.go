package postgres

import (
	"context"
	"errors"
	"fmt"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// InitNode records the node's identity; ECONFLICT if the database already
// belongs to a node.
func (s *Store) InitNode(ctx context.Context, n *crossguard.NodeInfo) error {
	err := s.write(ctx, func(w *writeTx) error {
		var existing string
		err := w.tx.QueryRow(ctx, `SELECT node_id FROM node`).Scan(&existing)
		switch {
		case err == nil:
			return crossguard.Errorf(crossguard.ECONFLICT, "database already belongs to node %s", existing)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		_, err = w.tx.Exec(ctx, `INSERT INTO node (node_id, agency, node, country, name, public_key, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			n.ID, n.Agency, n.Node, n.Country, n.Name, n.PublicKey, n.CreatedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("init node %s: %w", n.ID, err)
	}
	return nil
}

// Node returns the node's identity, or ENOTFOUND before InitNode.
func (s *Store) Node(ctx context.Context) (*crossguard.NodeInfo, error) {
	var n crossguard.NodeInfo
	err := s.pool.QueryRow(ctx, `SELECT node_id, agency, node, country, name, public_key, created_at FROM node`).
		Scan(&n.ID, &n.Agency, &n.Node, &n.Country, &n.Name, &n.PublicKey, &n.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "the database does not belong to a node yet: run crossguard init")
	}
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	n.CreatedAt = n.CreatedAt.UTC()
	return &n, nil
}
