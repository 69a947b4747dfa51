package postgres

// AckSQL is the statement of AckServed, for the test of its plan.
const AckSQL = ackSQL
