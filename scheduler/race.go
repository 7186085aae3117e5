//go:build race

package scheduler

import (
	"runtime"
	"unsafe"
)

// RaceEnabled reports whether the binary was built with -race.
const RaceEnabled = true

func raceDisable() { runtime.RaceDisable() }
func raceEnable()  { runtime.RaceEnable() }

// RaceAcquire and RaceRelease declare a happens-before edge to the race detector: every
// memory access before a RaceRelease(addr) happens before every access after a later
// RaceAcquire(addr). Primitives built on the scheduler call them where the real primitive
// would synchronise (Unlock → Lock, Fire → Wait), because the race-preserving baton hides
// the handoffs between tasks from the detector. Without -race they compile to nothing.
func RaceAcquire(addr unsafe.Pointer) { runtime.RaceAcquire(addr) }

// RaceRelease: see RaceAcquire.
func RaceRelease(addr unsafe.Pointer) { runtime.RaceRelease(addr) }

// RaceReleaseMerge is RaceRelease that also keeps the edges of earlier releases on addr
// (a plain release replaces them): for joins, where many tasks release one address.
func RaceReleaseMerge(addr unsafe.Pointer) { runtime.RaceReleaseMerge(addr) }
