package crossguard

// Roles a user can have.
const (
	RoleAdmin   = "admin"
	RoleAnalyst = "analyst"
	RoleOfficer = "officer"
	RoleAuditor = "auditor"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleAnalyst, RoleOfficer, RoleAuditor}

// Permissions a role may hold.
const (
	PermRead   = "read"   // read records and reference data
	PermWrite  = "write"  // create and update records
	PermDelete = "delete" // delete records
	PermAdmin  = "admin"  // manage users, peers and the node
	PermAudit  = "audit"  // read the audit log
	PermTarget = "target" // manage risk profiles, the watch list and models
)

// rolePermissions is the role matrix. Officers record and correct seizures;
// analysts also delete them and manage risk targeting (profiles, the watch
// list, models); administrators run the node but do not write
// intelligence; auditors read records and the audit log and change nothing.
var rolePermissions = map[string][]string{
	RoleAdmin:   {PermRead, PermDelete, PermAdmin},
	RoleAnalyst: {PermRead, PermWrite, PermDelete, PermTarget},
	RoleOfficer: {PermRead, PermWrite},
	RoleAuditor: {PermRead, PermAudit},
}

// Can reports whether role holds perm.
func Can(role, perm string) bool {
	for _, p := range rolePermissions[role] {
		if p == perm {
			return true
		}
	}
	return false
}

// ValidRole reports whether role is one of Roles.
func ValidRole(role string) bool {
	_, ok := rolePermissions[role]
	return ok
}
