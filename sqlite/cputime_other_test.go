//go:build !linux

package sqlite

import "time"

// threadCPU is not measured on this system; benchmarks then report
// latency only.
func threadCPU() time.Duration { return 0 }

// processCPU is not measured on this system; benchmarks then report
// throughput per wall-clock second only.
func processCPU() time.Duration { return 0 }
