package federation

import (
	"errors"
	"strings"
	"syscall"

	"crossguard/federation/fedtls"
)

// explainNetError turns a transport error into words an administrator can
// act on.
func explainNetError(err error) string {
	var timeout interface{ Timeout() bool }
	msg := err.Error()
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: is crossguard serve running there, and is the card's URL right?"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to the host: the link is down"
	case errors.Is(err, fedtls.ErrNotPinned):
		return "the peer did not prove the key on its card (check the card, or the peer's clock if its certificate expired): " + msg
	case strings.Contains(msg, "tls:"), strings.Contains(msg, "certificate"):
		return "the peer refused this node's key: has it added this node's card (crossguard peer add)? (" + msg + ")"
	case errors.As(err, &timeout) && timeout.Timeout():
		return "timed out: the link is slow or down"
	}
	return msg
}
