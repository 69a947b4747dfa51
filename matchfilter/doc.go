// Package matchfilter is the cryptographic and data core of hit/no-hit
// matching (the Prüm and FIU.net Ma3tch model): a node tells a partner that
// it holds something about an identifier without sending the record, nor
// the identifier.
//
// Two nodes derive a pair key that only they can compute (DerivePairKey):
// each converts its Ed25519 identity key to X25519, the X25519 shared
// secret of one's private key and the other's public key is the same on
// both sides, and HKDF-SHA256 binds it to the two node ids and keys and to
// Label. The holder builds, for one partner, a Filter of its identifiers in
// records that partner may not receive (Builder): each distinct (type,
// normalised value) becomes a 16-byte tag, HMAC-SHA256 under the pair key
// of type, a zero byte and value, with only aggregate metadata (type,
// count of records, first and last month, commodity category). The entries
// are sorted by tag; the encoding (Filter.Encode) is canonical JSON with
// the tags and metadata as packed base64 columns, and DecodeFilter reads it
// strictly, refusing a filter for another pair, above a size limit, or not
// in canonical form. The recipient computes the tags of its own identifiers
// under the same key and looks them up (Matcher); a Hit says which agency
// holds something, the type, count, month range and category, never a
// record id or a value.
//
// The package is pure: no storage, no network. Which records a partner may
// not receive, how identifiers are normalised, and how filters travel are
// decided by its callers. What a partner learns from a hit, and what an
// insider holding the pair key could learn by trying candidate values, is
// in docs/matching.md.
package matchfilter
