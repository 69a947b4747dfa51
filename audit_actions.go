package crossguard

// The actions and record kinds that audit entries name (AuditEntry.Action
// and AuditEntry.RecordKind), all in one place so that a new one is seen
// beside the others. Their values are written in every node's audit log
// and must never change.

// Audit actions of seizures, users, API tokens and the node itself.
const (
	ActionSeizureCreate = "seizure.create"
	ActionSeizureUpdate = "seizure.update"
	ActionSeizureDelete = "seizure.delete"
	ActionSeizureRead   = "seizure.read"
	ActionLoginFailure  = "login.failure"
	ActionUserAdd       = "user.add"
	ActionUserToken     = "user.token"
	ActionUserRevoke    = "user.revoke"
	ActionNodeInit      = "node.init"
	ActionAccessDenied  = "access.denied"
)

// Audit actions of a user's own settings.
const (
	ActionUserLanguage = "user.language" // a user's interface language set or cleared
)

// Audit actions of passwords and sign-in. Entries about sessions name the
// session by its ID under AuditKindSession (never by its token) and carry
// the client's address in their detail.
const (
	ActionUserPassword        = "user.password"         // a user's password set or changed
	ActionSessionSignIn       = "session.signin"        // a user signed in with a password
	ActionSessionSignInFailed = "session.signin_failed" // a sign-in refused: wrong name or password, or too many attempts
	ActionSessionSignOut      = "session.signout"       // a user signed out
)

// Audit actions of peers and of records of kinds without a table of their
// own.
const (
	ActionPeerAdd      = "peer.add"      // a peer added, or its card or policy changed
	ActionPeerRemove   = "peer.remove"   // a peer forgotten
	ActionPeerAck      = "peer.ack"      // an operator acknowledged the refusals from a peer
	ActionRecordCreate = "record.create" // an own record of a kind without its own table (annotations)
	ActionRecordUpdate = "record.update" // an own record of such a kind (profiles) replaced by a new version
	ActionRecordDelete = "record.delete" // an own record of such a kind replaced by its tombstone
	ActionRecordRead   = "record.read"   // a read of another node's record of such a kind
)

// Audit actions of federation: pages served and received, refusals,
// withdrawals and keys.
const (
	ActionFedShare        = "federation.share"        // a page of record versions served to a peer
	ActionFedWithdrawSent = "federation.withdraw"     // a peer told it may no longer hold a record
	ActionFedReceive      = "federation.receive"      // a page of record versions applied from a peer
	ActionFedRefuse       = "federation.refuse"       // an envelope from a peer refused, with the reason
	ActionFedWithdrawn    = "federation.removed"      // a copy removed on a peer's withdrawal
	ActionKeyRotate       = "node.key_rotate"         // this node replaced its key by a key handover
	ActionKeyHandover     = "federation.key_handover" // a peer's key handover accepted: its new key replaces the old
	// ActionFedQuarantine is the action of a held copy removed by a rescan
	// (crossguard rescan --quarantine) and kept in the quarantine, with the
	// reason the node would now refuse it.
	ActionFedQuarantine = "federation.quarantine"
)

// Audit actions of retention: records removed at the end of their
// retention, or with the peer that was their only source.
const (
	ActionRetentionDelete       = "retention.delete"       // an own record replaced by its tombstone at the end of its retention
	ActionRetentionPurge        = "retention.purge"        // a copy held from a partner removed at the end of its retention
	ActionRetentionDeclarations = "retention.declarations" // a batch of declarations deleted with their decisions and inspections, counted
	ActionPeerPurge             = "peer.purge"             // a copy removed because the removed peer was its only source
)

// Audit actions of risk targeting. Declarations, inspections, the watch
// list, models and profile states are local to the node; their audit
// entries are the only trace of who changed them.
const (
	ActionDeclarationSave = "declaration.save"    // a batch of declarations stored: count, first and last id
	ActionInspection      = "declaration.inspect" // an inspection result recorded or replaced
	ActionWatchAdd        = "watch.add"           // a watch-list entry added
	ActionWatchRemove     = "watch.remove"        // a watch-list entry ended before its expiry
	ActionModelSave       = "model.save"          // a trained model version stored (not active)
	ActionModelActivate   = "model.activate"      // a model version made the active one
	ActionProfileState    = "profile.state"       // a profile's local state set
)

// AuditKindSession is the record kind of audit entries about sessions.
const AuditKindSession = "session"

// Record kinds of the audit entries of risk targeting. Declarations, watch
// entries and models are not records (they never leave the node), but
// their audit entries name them by kind and id all the same; profile
// states are audited under KindProfile.
const (
	AuditKindDeclaration = "declaration"
	AuditKindWatch       = "watch"
	AuditKindModel       = "model"
)
