package crossguard

import "time"

// Record kinds with a table of their own. The other kinds (annotation,
// profile, operation, warning, feedback, message, agreement, progress,
// activity) live in the record store, each declared in its own file.
const (
	KindSeizure = "seizure"
)

// Header is the common header of every shareable record. Origin is the node
// that created the record and is its only writer; Version is bumped on every
// change, markings included, so that a newer version always wins.
type Header struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	Origin       string    `json:"origin"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Distribution string    `json:"distribution"`
	Recipients   []string  `json:"recipients,omitempty"`
	Marking      Marking   `json:"marking"`
}
