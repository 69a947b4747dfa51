package federation

import "crossguard"

// Store is what federation needs of a node's store: its peers, its change
// feed and its audit log.
type Store interface {
	crossguard.PeerStore
	crossguard.FeedStore
	crossguard.AuditStore
	crossguard.KeyStore
}
