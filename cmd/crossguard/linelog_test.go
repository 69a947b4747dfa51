package main

import (
	"bufio"
	"io"
	"strings"
	"sync"
	"testing"
)

// lineLog holds the lines a process writes to one of its streams, so that
// a test can wait for the line saying that something happened instead of
// sleeping and hoping it did.
type lineLog struct {
	mu    sync.Mutex
	lines []string
	ended bool
	grew  chan struct{} // closed, and replaced, when a line arrives or the stream ends
}

// readLines collects the lines of r until it ends, then closes it.
func readLines(r io.ReadCloser) *lineLog {
	l := &lineLog{grew: make(chan struct{})}
	go func() {
		defer r.Close()
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			l.mu.Lock()
			l.lines = append(l.lines, sc.Text())
			close(l.grew)
			l.grew = make(chan struct{})
			l.mu.Unlock()
		}
		l.mu.Lock()
		l.ended = true
		close(l.grew)
		l.mu.Unlock()
	}()
	return l
}

// waitFor returns the first line that contains s, waiting until the
// process writes it; it fails t if the stream ends without one.
func (l *lineLog) waitFor(t testing.TB, s string) string {
	t.Helper()
	for i := 0; ; {
		l.mu.Lock()
		for ; i < len(l.lines); i++ {
			if strings.Contains(l.lines[i], s) {
				line := l.lines[i]
				l.mu.Unlock()
				return line
			}
		}
		ended, grew := l.ended, l.grew
		l.mu.Unlock()
		if ended {
			t.Fatalf("the process ended without writing a line with %q; it wrote:\n%s", s, l)
		}
		<-grew
	}
}

// String returns the lines so far, for failure messages.
func (l *lineLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}
