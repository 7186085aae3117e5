//go:build !race

package scheduler

import "unsafe"

// RaceEnabled reports whether the binary was built with -race.
const RaceEnabled = false

func raceDisable() {}
func raceEnable()  {}

// RaceAcquire declares a happens-before edge to the race detector (see race.go); without
// -race it does nothing.
func RaceAcquire(addr unsafe.Pointer) {}

// RaceRelease: see RaceAcquire.
func RaceRelease(addr unsafe.Pointer) {}

// RaceReleaseMerge: see RaceAcquire.
func RaceReleaseMerge(addr unsafe.Pointer) {}
