package federation

import "crossguard"

// Store is what federation needs of a node's store: its peers, its change
// feed, its audit log and the audit heads it holds.
type Store interface {
	crossguard.PeerStore
	crossguard.FeedStore
	crossguard.AuditStore
	crossguard.AuditHeadStore
	crossguard.KeyStore
}
