package crossguard

// Audit actions of passwords and sign-in. Entries about sessions name the
// session by its ID under AuditKindSession (never by its token) and carry
// the client's address in their detail.
const (
	ActionUserPassword        = "user.password"         // a user's password set or changed
	ActionSessionSignIn       = "session.signin"        // a user signed in with a password
	ActionSessionSignInFailed = "session.signin_failed" // a sign-in refused: wrong name or password, or too many attempts
	ActionSessionSignOut      = "session.signout"       // a user signed out
)

// AuditKindSession is the record kind of audit entries about sessions.
const AuditKindSession = "session"
