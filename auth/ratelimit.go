package auth

import (
	"fmt"
	"sync"
	"time"

	"crossguard"
)

// Limits of failed sign-ins: at most PerUser failures for one user name
// and PerAddr failures from one client address within Window; at most
// MaxKeys names and MaxKeys addresses are remembered.
type Limits struct {
	PerUser int
	PerAddr int
	Window  time.Duration
	MaxKeys int
}

// DefaultLimits allow five failures per user name and twenty per address in
// fifteen minutes, remembering up to 10,000 of each (under 2 MB).
var DefaultLimits = Limits{PerUser: 5, PerAddr: 20, Window: 15 * time.Minute, MaxKeys: 10000}

// TooManyAttemptsError refuses a sign-in because of earlier failures. Its
// message says when to try again; it unwraps to an EUNAUTHORIZED
// *crossguard.Error with the same message, so a generic error mapping shows
// it. The web layer may answer 429 with a Retry-After of RetryAfter.
type TooManyAttemptsError struct {
	RetryAfter time.Duration
}

// Error says how many minutes to wait, rounded up.
func (e *TooManyAttemptsError) Error() string {
	m := int((e.RetryAfter + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "too many attempts, try again in 1 minute"
	}
	return fmt.Sprintf("too many attempts, try again in %d minutes", m)
}

// Unwrap returns the application error of e.
func (e *TooManyAttemptsError) Unwrap() error {
	return crossguard.Errorf(crossguard.EUNAUTHORIZED, "%s", e.Error())
}

// Limiter counts failed sign-ins per user name and per client address in
// a sliding window. Its memory is bounded: each key keeps at most its
// limit of failure times, and when MaxKeys keys are held, keys whose
// failures all left the window are dropped first, then the key whose last
// failure is oldest. It is safe for concurrent use.
type Limiter struct {
	limits Limits
	mu     sync.Mutex
	users  map[string][]time.Time
	addrs  map[string][]time.Time
}

// NewLimiter returns a limiter with limits; zero fields take the values of
// DefaultLimits.
func NewLimiter(l Limits) *Limiter {
	d := DefaultLimits
	if l.PerUser <= 0 {
		l.PerUser = d.PerUser
	}
	if l.PerAddr <= 0 {
		l.PerAddr = d.PerAddr
	}
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = d.MaxKeys
	}
	return &Limiter{limits: l, users: map[string][]time.Time{}, addrs: map[string][]time.Time{}}
}

// Allow returns a *TooManyAttemptsError if user or addr has reached its
// limit of failures at now, or nil.
func (l *Limiter) Allow(user, addr string, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	wait := max(l.wait(l.users[user], l.limits.PerUser, now), l.wait(l.addrs[addr], l.limits.PerAddr, now))
	if wait > 0 {
		return &TooManyAttemptsError{RetryAfter: wait}
	}
	return nil
}

// wait returns how long until fewer than limit of times lie in the window
// ending at now; 0 if they already do.
func (l *Limiter) wait(times []time.Time, limit int, now time.Time) time.Duration {
	start := now.Add(-l.limits.Window)
	n := 0
	for _, t := range times {
		if t.After(start) {
			n++
		}
	}
	if n < limit {
		return 0
	}
	// The oldest failure in the window must leave it: the n-limit+1'th
	// newest, as times are in order.
	oldest := times[len(times)-limit]
	return oldest.Add(l.limits.Window).Sub(now)
}

// Fail records a failed sign-in for user from addr at now.
func (l *Limiter) Fail(user, addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.add(l.users, user, l.limits.PerUser, now)
	l.add(l.addrs, addr, l.limits.PerAddr, now)
}

// Succeed forgets the failures of user, who just signed in. The address
// keeps its failures, which may have been against other names.
func (l *Limiter) Succeed(user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.users, user)
}

// add appends now to key's times in m, keeping at most limit of them and
// at most MaxKeys keys.
func (l *Limiter) add(m map[string][]time.Time, key string, limit int, now time.Time) {
	times, ok := m[key]
	if !ok && len(m) >= l.limits.MaxKeys {
		l.evict(m, now)
	}
	times = append(times, now)
	if len(times) > limit {
		times = append(times[:0], times[len(times)-limit:]...)
	}
	m[key] = times
}

// evict drops the keys of m whose failures all left the window, or if
// there are none the key whose last failure is oldest.
func (l *Limiter) evict(m map[string][]time.Time, now time.Time) {
	start := now.Add(-l.limits.Window)
	var oldestKey string
	var oldest time.Time
	found := false
	for k, times := range m {
		last := times[len(times)-1]
		if !last.After(start) {
			delete(m, k)
			continue
		}
		if !found || last.Before(oldest) {
			oldestKey, oldest, found = k, last, true
		}
	}
	if len(m) >= l.limits.MaxKeys && found {
		delete(m, oldestKey)
	}
}
