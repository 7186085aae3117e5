package sim

import (
	"math/rand/v2"
	"time"
	"unsafe"

	"github.com/muxsim/muxsim/scheduler"
)

// Runtime is what code under test is written against instead of go, sync, time, select
// and math/rand. Real() runs on goroutines and the wall clock; inside Run, the runtime is
// simulated and every blocking primitive is a scheduling point.
//
// A nil *Runtime is not valid; use Real() where no runtime is given.
type Runtime struct {
	s      *scheduler.Sched // nil for the real runtime
	faults *faultTable
	cover  *coverage
	real   *realRun // a RunReal's failure record; nil for Real()
	inject *injections
	params Params      // workload sizes, for Param
	rands  []namedRand // a simulated run's streams, for Rand
}

// namedRand is one of a run's Rand streams. They are kept in a slice, not a map, scanned
// from go:norace code: tasks on the race-preserving baton share the list without an edge
// between them, and a map's accesses would be reported as races. A run asks for a
// handful of names.
type namedRand struct {
	name string
	r    *rand.Rand
}

var realRuntime = &Runtime{}

// Real returns the real runtime: plain goroutines, sync, the wall clock, fault points off,
// assertions that panic.
func Real() *Runtime { return realRuntime }

// Simulated reports whether the runtime is the simulated one.
func (rt *Runtime) Simulated() bool { return rt.s != nil }

// Go starts fn as a named task (a goroutine under the real runtime). Under simulation it
// is a scheduling point, and the name and call site appear in traces and reports.
func (rt *Runtime) Go(name string, fn func()) {
	if rt.s == nil {
		if rt.real != nil {
			rt.real.goReal(name, fn)
			return
		}
		go fn()
		return
	}
	rt.s.Go(name, fn)
}

// Yield tells the scheduler that the task is waiting by polling: under simulation it is a
// scheduling point that also lowers the task's PCT priority, so a spin loop cannot starve
// the task it waits for. Under the real runtime it is runtime.Gosched's role, and does
// nothing.
func (rt *Runtime) Yield() {
	if rt.s != nil {
		rt.s.Yield()
	}
}

// Now returns the current time: virtual under simulation (starting at 2000-01-01 UTC).
func (rt *Runtime) Now() time.Time {
	if rt.s == nil {
		return time.Now()
	}
	return scheduler.Epoch.Add(rt.s.Now())
}

// Since returns the time elapsed since t on the runtime's clock.
func (rt *Runtime) Since(t time.Time) time.Duration { return rt.Now().Sub(t) }

// Until returns the time left until t on the runtime's clock.
func (rt *Runtime) Until(t time.Time) time.Duration { return t.Sub(rt.Now()) }

// Epoch is where virtual time starts: 2000-01-01 00:00 UTC.
var Epoch = scheduler.Epoch

// Note records an application event (a frame, a state change) in the simulation's trace,
// where it feeds the trace hash. Under the real runtime it does nothing; callers that
// format their text should check Simulated first.
func (rt *Runtime) Note(text string) {
	if rt.s != nil {
		rt.s.Note(text)
	}
}

// Rand returns a random stream. Under simulation it is derived from the run's seed and
// name ("workload", "net"), so each class of choice has its own stream, and it is kept:
// every call with the same name in one run returns the same *rand.Rand, which continues
// where the last caller left off (a fresh stream per call would repeat its first
// draws). The run keeps each name's stream until it ends; a component that makes a
// stream per object, under names without end, uses NewRand. Under the real runtime
// every call returns a new, unpredictably seeded stream. A stream is not safe for
// concurrent use.
//
//go:norace
func (rt *Runtime) Rand(name string) *rand.Rand {
	if rt.s == nil {
		return rt.NewRand(name)
	}
	for _, nr := range rt.rands {
		if nr.name == name {
			scheduler.RaceAcquire(unsafe.Pointer(nr.r)) // the stream was published by its maker
			return nr.r
		}
	}
	r := rt.NewRand(name)
	scheduler.RaceRelease(unsafe.Pointer(r))
	rt.rands = append(rt.rands, namedRand{name, r})
	return r
}

// NewRand returns name's stream from its start, as a Rand that the run does not keep:
// for a component that makes one stream per object (a connection, a link), each under a
// name of its own, and keeps it, so that a long run does not accumulate them. Two calls
// with one name draw the same values; Rand(name) would continue instead.
func (rt *Runtime) NewRand(name string) *rand.Rand {
	if rt.s == nil {
		return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return rand.New(rt.s.Stream("rand:" + name))
}

// Step returns the number of scheduling decisions so far (0 under the real runtime): the
// coordinate that logs, traces and failure reports share.
func (rt *Runtime) Step() uint64 {
	if rt.s == nil {
		return 0
	}
	return rt.s.Step()
}

// Unwinding reports whether p, a value recovered from a panic, is the simulator unwinding
// the task (its run has ended, or an assertion failed) rather than a panic of the code
// under test. Code that recovers panics, such as a server that turns a handler's panic
// into an error, must re-panic such a value; under the real runtime it is always false.
func Unwinding(p any) bool { return scheduler.IsKill(p) }

// Fail ends a simulated run with an invariant failure at this step. Under the real
// runtime it panics: a broken invariant is a bug; inside RunReal it records the failure
// and ends the calling task.
func (rt *Runtime) Fail(msg string) {
	if rt.s == nil {
		if rt.real != nil {
			rt.real.failReal(msg)
		}
		panic("sim: " + msg)
	}
	rt.s.Fail(msg)
}
