// Package federation moves shareable records between crossguard nodes: it
// signs each own record version as an envelope over its RFC 8785 canonical
// JSON, serves every peer a change feed filtered by the sharing policy
// (crossguard.MayShare), pulls peers' feeds by cursor with long-polling,
// checks every envelope (known origin, signature, policy, size) before the
// store applies a page, and keeps each peer's status in words a person can
// act on. docs/federation.md is the protocol it implements.
package federation
