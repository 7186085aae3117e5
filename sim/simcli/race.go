//go:build race

package simcli

// raceEnabled reports whether this binary was built with -race.
const raceEnabled = true
