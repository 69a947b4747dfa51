// Package canonjson produces the JSON Canonicalization Scheme (JCS) form of
// JSON text, as specified by RFC 8785.
//
// The federation protocol signs record envelopes with Ed25519 over their
// canonical JSON form, so every node must turn the same JSON value into the
// same bytes whatever whitespace, member order, escaping or number spelling
// the sender used. Canonical form has no insignificant whitespace, object
// members sorted by their names compared as sequences of UTF-16 code units,
// strings escaped minimally, and numbers written as ECMAScript's
// Number.prototype.toString writes them.
//
// Input that cannot be canonicalized without guessing is rejected rather than
// repaired: invalid JSON, duplicate object member names, numbers outside the
// range of an IEEE 754 double (such as 1e400), invalid UTF-8 and escaped lone
// surrogates. Numbers too small to be represented round to zero, as they do in
// ECMAScript.
package canonjson
