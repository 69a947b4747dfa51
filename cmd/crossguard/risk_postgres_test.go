package main

import "testing"

// TestRiskCommandsOnPostgres runs the profile, watch, model and risk
// commands against a PostgreSQL node (required when
// CROSSGUARD_TEST_POSTGRES is set, skipped with a message otherwise).
func TestRiskCommandsOnPostgres(t *testing.T) {
	url := postgresURL(t)
	c := newCLI(t)
	c.must("init", "--agency", "pk-customs", "--node", "hq", "--country", "PK", "--name", "Pakistan Customs HQ", "--db", url)
	testRiskNodeCommands(t, c)
}
