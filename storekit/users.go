package storekit

import (
	"time"

	"crossguard"
)

// UserLanguageAudit is the audit entry of the interface language of user
// name set to lang ("" to follow the browser) by actor at at.
func UserLanguageAudit(actor, name, lang string, at time.Time) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionUserLanguage,
		RecordKind: "user", RecordID: name, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("language", lang)}
}
