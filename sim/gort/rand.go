package gort

import (
	mrand "math/rand"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// mathRand is the run's generator for the global functions of math/rand, made at the
// start of each run (in its main task, so that every task's use comes after it, as a
// package variable initialised before main does) and, outside a run, at first use.
var mathRand *mrand.Rand

// MathRand is the generator behind math/rand's global functions (rand.Intn becomes
// gort.MathRand().Intn): under simulation, a stream derived from the run's seed, so a
// run's draws replay; outside a run, one seeded from the wall clock. Its source is safe
// for concurrent use, as math/rand's global one is.
//
//go:norace
func MathRand() *mrand.Rand {
	if current.rt == nil && mathRand == nil {
		mathRand = mrand.New(&randSource{s: uint64(time.Now().UnixNano())})
	}
	return mathRand
}

// seedMathRand makes the run's math/rand generator.
//
//go:norace
func seedMathRand(r *sim.Runtime) {
	mathRand = mrand.New(&randSource{s: r.Rand("math/rand").Uint64()})
}

// randSource is splitmix64, as a math/rand Source64 whose state the race detector does
// not see: tasks draw one at a time under the scheduler, and math/rand's global functions
// are safe for concurrent use, so their draws must not read as a data race.
type randSource struct{ s uint64 }

//go:norace
func (r *randSource) Uint64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

//go:norace
func (r *randSource) Int63() int64 { return int64(r.Uint64() >> 1) }

//go:norace
func (r *randSource) Seed(seed int64) { r.s = uint64(seed) }
