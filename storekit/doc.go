// Package storekit holds what the two database stores, sqlite and
// postgres, share beyond their SQL text, so that they compute, check,
// read and word things alike, and each store keeps only its queries and
// its driver's calls:
//
//   - reading rows: the scanners of declarations, decisions and
//     inspections, audit entries and heads, models, retired keys,
//     watch-list entries, tallies, records and edited records, received
//     versions held and quarantined (ScanQueueEntry, ScanAuditEntry,
//     ScanModel, ScanRecord, ScanQuarantined, ...), which take a row's
//     Scan method of either driver; Time, which reads a time column of
//     either; and ScanAll and All, which read every row of a query;
//   - building queries from filters and cutting pages: AuditQuery,
//     DecisionQueueQuery, AuditPage, DecisionPage, WalkAudit;
//   - the checks a store makes before it writes (CheckDeclarationEntries,
//     CheckInspection, CheckModel, CheckWatch, StoredRecord.CheckUpdate,
//     ...) and the audit entries it writes (ModelSaveAudit,
//     InspectionAudit, RecordUpdateAudit, ...), and the tombstone that
//     replaces a deleted record (Tombstone);
//   - the keys of seizure tallies and their definition in Go (TallyKeys,
//     TallyPlaceKey), the builder of risk statistics (RiskStatsBuilder),
//     what a peer's status keeps of a page's refusals (LastRefusalOf,
//     CountRefusals), and the errors both stores return for a sharing
//     policy or an import that moved on meanwhile.
//
// It is the kit the stores are built from, not part of the domain: nothing
// above the stores (node, httpapi, web, federation) imports it, and the
// conformance suite storetest uses it to compute what the stores must
// return. It imports the crossguard domain package and the standard
// library only, never a database driver or a store.
package storekit
