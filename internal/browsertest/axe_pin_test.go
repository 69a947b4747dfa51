package browsertest

import (
	"strings"
	"testing"
)

// TestAxeFileIsPinned checks, without a browser, that the committed
// axe/axe.min.js is the pinned axe-core release and that a script that
// differs by one byte is refused.
func TestAxeFileIsPinned(t *testing.T) {
	src, err := checkAxe(axeFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(src, "/*! axe v"+axeVersion+"\n") {
		t.Errorf("axe/axe.min.js starts %q, want the banner of axe v%s", src[:min(len(src), 40)], axeVersion)
	}
	changed := append([]byte(nil), axeFile...)
	changed[len(changed)/2] ^= 1
	if _, err := checkAxe(changed); err == nil || !strings.Contains(err.Error(), axeSHA512) {
		t.Errorf("a changed script: %v, want an error naming the pinned checksum", err)
	}
}
