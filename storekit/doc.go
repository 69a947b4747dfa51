// Package storekit holds what the two database stores, sqlite and
// postgres, share beyond their SQL text, so that they compute, check and
// word things alike: the keys of seizure tallies and their definition in
// Go (TallyKeys, TallyPlaceKey), the builder of risk statistics
// (RiskStatsBuilder), the checks a store makes before it writes a batch
// (CheckDeclarationEntries), what a peer's status keeps of a page's
// refusals (LastRefusalOf, CountRefusals), the audit detail of an
// acknowledgement, and the errors both stores return for a sharing policy
// or an import that moved on meanwhile.
//
// It is the kit the stores are built from, not part of the domain: nothing
// above the stores (node, httpapi, web, federation) imports it, and the
// conformance suite storetest uses it to compute what the stores must
// return. It imports the crossguard domain package and the standard
// library only, never a database driver or a store.
package storekit
