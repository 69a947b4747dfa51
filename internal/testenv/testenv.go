// Package testenv tells tests which outside services they may use, and
// makes tests that need a missing service skip on a developer's machine but
// fail in CI (CI=true), so that a green CI run never hides a missing service.
package testenv

import (
	"os"
	"testing"
)

// PostgresEnv is the variable holding the PostgreSQL URL for tests.
const PostgresEnv = "CROSSGUARD_TEST_POSTGRES"

// Required reports whether tests that need a service must fail rather than
// skip when it is absent: in CI (CI=true).
func Required() bool {
	return os.Getenv("CI") == "true"
}

// PostgresURL returns the PostgreSQL URL for tests. Without one it skips
// the test with a message, or fails it in CI.
func PostgresURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(PostgresEnv)
	if url == "" {
		missing(t, PostgresEnv+" is not set: skipping PostgreSQL tests (set it to a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to run them)")
	}
	return url
}

// missing skips t with why, or fails it when services are required.
func missing(t testing.TB, why string) {
	t.Helper()
	if Required() {
		t.Fatal("required in CI: " + why)
	}
	t.Skip(why)
}
