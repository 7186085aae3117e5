package gort

import (
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/muxsim/muxsim/sim"
)

// current is the run that translated code is part of: set by Run for the length of one
// simulated run. There is one per process, so one run at a time per process; parallel
// sweeps use processes. Only the running task or the scheduler touches it.
var current struct {
	rt  *sim.Runtime
	gen uint64 // counts runs: a shim bound in an earlier run rebinds (binding.fresh)
}

// Run runs body as the main task of a simulated run whose runtime the shims use, and
// returns the verdict. Runs must not overlap: Run panics if one is in progress.
func Run(opts sim.Options, body func()) *sim.Verdict {
	if current.rt != nil {
		panic("gort: Run inside a run (one run at a time per process)")
	}
	current.gen++
	gen := current.gen
	defer func() { current.rt = nil }()
	return sim.Run(opts, func(rt *sim.Runtime) {
		current.rt, current.gen = rt, gen
		seedMathRand(rt)
		body()
	})
}

// rt returns the current run's runtime, or the real runtime outside a run.
func rt() *sim.Runtime {
	if current.rt != nil {
		return current.rt
	}
	return sim.Real()
}

// binding is what a shim with a usable zero value keeps to know whether the object it
// made belongs to the current run: an object made in an earlier run (a package-level
// variable reused by the next seed) is made again, fresh, for this one.
type binding struct {
	gen   uint64
	bound bool
}

// fresh reports whether the shim must make its object for the current run, and records
// that it is about to.
func (b *binding) fresh() bool {
	if b.bound && b.gen == current.gen {
		return false
	}
	b.gen, b.bound = current.gen, true
	return true
}

// site names the caller's caller's source position (file:line, after //line directives:
// the user's original file) for names in traces and deadlock reports.
func site(skip int) string {
	_, file, line, ok := runtime.Caller(skip + 1)
	if !ok {
		return "?"
	}
	return filepath.Base(file) + ":" + strconv.Itoa(line)
}

// Go is the go statement: it starts f as a task of the current run. The translator
// evaluates the function and its arguments at the statement, as Go does, and passes a
// closure that calls them.
func Go(f func()) { rt().Go("go@"+site(1), f) }

// Gosched is runtime.Gosched: a scheduling point that lets the scheduler run another task
// (and, under PCT, lowers the caller's priority, so that a spin loop makes progress),
// and a poll (PollEvery), so that a spin loop lets virtual time pass.
func Gosched() {
	r := rt()
	r.Yield()
	poll(r)
}

// yield is the scheduling point of an atomic operation that is not a poll.
func yield() { rt().Yield() }

// Runtime is the current run's runtime, or sim.Real() outside a run: how translated code
// reaches muxsim's own packages, which take one (simnet.Pipe(gort.Runtime(), ...)). A
// test that calls it runs natively under go test too, on the real runtime.
func Runtime() *sim.Runtime { return rt() }
