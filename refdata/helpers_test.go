package refdata

import (
	"fmt"
	"testing"
)

// assertErr fails t unless err is nil when want is "", or has message want.
func assertErr(t *testing.T, fn, input string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s(%q) = %q, want nil", fn, input, err)
	case want != "" && err == nil:
		t.Errorf("%s(%q) = nil, want %q", fn, input, want)
	case want != "" && err.Error() != want:
		t.Errorf("%s(%q) =\n %q, want\n %q", fn, input, err, want)
	}
}

// panicMessage runs f and returns what it panicked with, or "" if it did
// not panic.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}
