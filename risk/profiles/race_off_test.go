//go:build !race

package profiles

const raceEnabled = false
