// Package fedtls secures the federation listener: HTTPS with mutual TLS 1.3
// in which each node presents a certificate self-signed by its Ed25519 node
// key and the other side pins that key. There is no certificate authority
// and no name checking: a node is who its key says it is, and the keys come
// from node cards exchanged out of band. A server refuses an unknown key
// during the handshake, before any HTTP request is read; a client refuses a
// server that does not hold the key on the peer's card.
package fedtls
