package auth_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"crossguard"
	"crossguard/auth"
)

var t0 = time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)

// wantTooMany fails t unless err is a TooManyAttemptsError saying message.
func wantTooMany(t *testing.T, err error, message string) {
	t.Helper()
	var tm *auth.TooManyAttemptsError
	if !errors.As(err, &tm) || err.Error() != message {
		t.Fatalf("got %v, want a TooManyAttemptsError %q", err, message)
	}
	if crossguard.ErrorCode(err) != crossguard.EUNAUTHORIZED || crossguard.ErrorMessage(err) != message {
		t.Fatalf("%v: code %s message %q, want unauthorized with the same message", err, crossguard.ErrorCode(err), crossguard.ErrorMessage(err))
	}
}

func TestRateLimitPerUser(t *testing.T) {
	l := auth.NewLimiter(auth.Limits{})
	for i := range 5 {
		if err := l.Allow("amina", "192.0.2.1", t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("attempt %d refused: %v", i+1, err)
		}
		l.Fail("amina", fmt.Sprintf("192.0.2.%d", i), t0.Add(time.Duration(i)*time.Minute))
	}
	wantTooMany(t, l.Allow("amina", "198.51.100.9", t0.Add(5*time.Minute)), "too many attempts, try again in 10 minutes")
	wantTooMany(t, l.Allow("amina", "198.51.100.9", t0.Add(14*time.Minute+30*time.Second)), "too many attempts, try again in 1 minute")
	if err := l.Allow("bilal", "198.51.100.9", t0.Add(5*time.Minute)); err != nil {
		t.Fatalf("another user refused: %v", err)
	}
	if err := l.Allow("amina", "198.51.100.9", t0.Add(15*time.Minute)); err != nil {
		t.Fatalf("refused after the first failure left the window: %v", err)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	l := auth.NewLimiter(auth.Limits{})
	for i := range 20 {
		l.Fail(fmt.Sprintf("user%d", i), "192.0.2.1", t0)
	}
	wantTooMany(t, l.Allow("someone", "192.0.2.1", t0.Add(time.Minute)), "too many attempts, try again in 14 minutes")
	if err := l.Allow("someone", "192.0.2.2", t0.Add(time.Minute)); err != nil {
		t.Fatalf("another address refused: %v", err)
	}
}

func TestRateLimitSuccessForgetsTheUser(t *testing.T) {
	l := auth.NewLimiter(auth.Limits{})
	for range 4 {
		l.Fail("amina", "192.0.2.1", t0)
	}
	l.Succeed("amina")
	for range 4 {
		l.Fail("amina", "192.0.2.1", t0)
	}
	if err := l.Allow("amina", "192.0.2.1", t0); err != nil {
		t.Fatalf("refused after 4 failures since the last success: %v", err)
	}
}

func TestRateLimitMemoryBounded(t *testing.T) {
	l := auth.NewLimiter(auth.Limits{PerUser: 2, PerAddr: 2, MaxKeys: 3, Window: time.Hour})
	l.Fail("victim", "192.0.2.1", t0)
	l.Fail("victim", "192.0.2.1", t0)
	wantTooMany(t, l.Allow("victim", "", t0), "too many attempts, try again in 60 minutes")
	// Two more keys fit; a third evicts the oldest, the victim.
	for i := range 3 {
		l.Fail(fmt.Sprintf("spray%d", i), fmt.Sprintf("203.0.113.%d", i), t0.Add(time.Duration(i+1)*time.Second))
	}
	if err := l.Allow("victim", "", t0.Add(time.Minute)); err != nil {
		t.Fatalf("the oldest key was kept beyond MaxKeys: %v", err)
	}
	// Keys whose failures left the window go first.
	l.Fail("new", "203.0.113.9", t0.Add(2*time.Hour))
	l.Fail("new", "203.0.113.9", t0.Add(2*time.Hour))
	wantTooMany(t, l.Allow("new", "", t0.Add(2*time.Hour)), "too many attempts, try again in 60 minutes")
}
