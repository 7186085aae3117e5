//go:build !race

package scheduler

import "unsafe"

// RaceEnabled reports whether the binary was built with -race.
const RaceEnabled = false

func raceDisable() {}

// RaceDisable hides the goroutine's synchronisation from the race detector (see
// race.go); without -race it does nothing.
func RaceDisable() {}

// RaceEnable: see RaceDisable.
func RaceEnable() {}

// RaceRead reports a memory access to the race detector (see race.go); without -race it
// does nothing.
func RaceRead(addr unsafe.Pointer) {}

// RaceWrite: see RaceRead.
func RaceWrite(addr unsafe.Pointer) {}

// RaceErrors is how many data races the race detector has reported (see race.go); without
// -race it is 0.
func RaceErrors() int { return 0 }
func raceEnable()     {}

// RaceAcquire declares a happens-before edge to the race detector (see race.go); without
// -race it does nothing.
func RaceAcquire(addr unsafe.Pointer) {}

// RaceRelease: see RaceAcquire.
func RaceRelease(addr unsafe.Pointer) {}

// RaceReleaseMerge: see RaceAcquire.
func RaceReleaseMerge(addr unsafe.Pointer) {}

// raceReport is the race detector's text (see race.go); without -race there is none.
func raceReport() string { return "" }
