package httpapi

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// signalListener signals once the server's handler is reading a request
// body: net/http drops a request whose headers it was still reading when
// Shutdown began (the client may retry it), so only a request whose handler
// runs is in flight.
type signalListener struct {
	net.Listener
	read chan struct{}
	once sync.Once
}

// Accept wraps each connection to watch its reads.
func (l *signalListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &signalConn{Conn: c, l: l}, nil
}

// signalConn is a connection accepted by a signalListener.
type signalConn struct {
	net.Conn
	l       *signalListener
	seen    []byte // what was read so far, until the end of the headers
	headers bool   // the end of the headers was read
}

// Read signals when it is called again after the end of the headers was
// read: the server buffers what it reads, so only the handler, wanting
// more of the body, reads once the headers are parsed.
func (c *signalConn) Read(b []byte) (int, error) {
	if c.headers {
		c.l.once.Do(func() { close(c.l.read) })
	}
	n, err := c.Conn.Read(b)
	if !c.headers && n > 0 {
		c.seen = append(c.seen, b[:n]...)
		c.headers = bytes.Contains(c.seen, []byte("\r\n\r\n"))
	}
	return n, err
}

// TestServeShutsDownGracefully starts a request, cancels Serve's context
// while the request body is still arriving, and checks that the request
// completes and that Serve then returns nil.
func TestServeShutsDownGracefully(t *testing.T) {
	t.Parallel()
	e := newTestNode(t)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &signalListener{Listener: inner, read: make(chan struct{})}
	addr := inner.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- e.server.Serve(ctx, ln) }()

	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", "http://"+addr+"/api/v1/seizures", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.tokens[crossguard.RoleOfficer])
	req.Header.Set("Content-Type", "application/json")
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		res.Body.Close()
		done <- result{status: res.StatusCode}
	}()
	half := len(storetest.ExampleSeizureJSON) / 2
	if _, err := io.WriteString(pw, storetest.ExampleSeizureJSON[:half]); err != nil {
		t.Fatal(err)
	}
	<-ln.read // the handler is reading the request body
	cancel()

	select {
	case err := <-served:
		t.Fatalf("Serve returned %v with a request in flight", err)
	default:
	}
	if _, err := io.WriteString(pw, storetest.ExampleSeizureJSON[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if r := <-done; r.err != nil || r.status != http.StatusCreated {
		t.Fatalf("in-flight request: status %d, error %v; want 201", r.status, r.err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}
