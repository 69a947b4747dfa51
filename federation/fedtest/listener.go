package fedtest

import (
	"net"
	"sync/atomic"
	"time"
)

// pausable serves one service from a TCP listener that outlives it: its
// Close ends the service's Accept without closing the socket, so that the
// node's next service accepts on the same port. Listening again on a port
// just closed can fail while a connection to it is still closing, or when
// another process took the port meanwhile.
type pausable struct {
	*net.TCPListener
	closed atomic.Bool
}

// Accept waits for the next connection, or reports net.ErrClosed once the
// service closed its listener.
func (l *pausable) Accept() (net.Conn, error) {
	c, err := l.TCPListener.Accept()
	if l.closed.Load() {
		if c != nil {
			c.Close()
		}
		return nil, net.ErrClosed
	}
	return c, err
}

// Close ends a pending Accept by moving the socket's deadline to now and
// leaves the socket open.
func (l *pausable) Close() error {
	l.closed.Store(true)
	return l.TCPListener.SetDeadline(time.Now())
}

// reopen returns a listener for the next service on the same socket.
func (l *pausable) reopen() (*pausable, error) {
	if err := l.TCPListener.SetDeadline(time.Time{}); err != nil {
		return nil, err
	}
	return &pausable{TCPListener: l.TCPListener}, nil
}
