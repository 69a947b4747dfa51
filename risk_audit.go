package crossguard

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

// Record kinds of the audit entries of risk targeting. Declarations, watch
// entries and models are not records (they never leave the node), but
// their audit entries name them by kind and id all the same; profile
// states are audited under KindProfile.
const (
	AuditKindDeclaration = "declaration"
	AuditKindWatch       = "watch"
	AuditKindModel       = "model"
)
