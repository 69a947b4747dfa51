//go:build !linux

package sqlite

import "time"

// threadCPU is not measured on this system; benchmarks then report
// latency only.
func threadCPU() time.Duration { return 0 }
