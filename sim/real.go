package sim

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim/internal/hang"
)

// RealOptions configure RunReal.
type RealOptions struct {
	// Timeout is the wall-clock time a run may take before it is called hung (reported as
	// a deadlock, with the stacks of the run's goroutines). Default DefaultRealTimeout.
	Timeout time.Duration
	// Deadline, if not zero, is a wall-clock time the run must be reported by: Timeout is
	// cut so that the run is called hung a few seconds (hang.Margin, 3s) before it. A test
	// passes t.Deadline(), so that go test -timeout never fires first. Default none.
	Deadline time.Time
	// State, if not nil, says what the code under test is waiting on (its streams,
	// queues, counters); a hung run's report ends with its answer. It is called once, on
	// its own goroutine, and given a second: it must not block on the run's locks (use
	// TryLock). Default none.
	State func() string
	// Params are the workload sizes Runtime.Param returns. Default none.
	Params Params
}

// DefaultRealTimeout is RealOptions.Timeout's default: a deadlock guard, not a timing
// assertion. The real-mode tests and scenarios take well under a second; ten seconds
// leaves room for -race on a loaded machine, and reports a hang long before go test's
// 10-minute alarm.
const DefaultRealTimeout = 10 * time.Second

// realRun is the first failure of a RunReal, shared by its tasks.
type realRun struct {
	mu      sync.Mutex
	failure *scheduler.Failure
}

func (rr *realRun) fail(kind scheduler.FailKind, msg, stack string, val any) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.failure == nil {
		rr.failure = &scheduler.Failure{Kind: kind, Message: msg, Stack: stack, Panic: val}
	}
}

func (rr *realRun) first() *scheduler.Failure {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return rr.failure
}

// RunReal runs body once on the real runtime (goroutines, the wall clock, real sockets
// if body opens them) and returns a verdict in the simulator's terms, so that simulation
// and reality can be compared on the same scenarios. A failed assertion (Always, Fail)
// ends the failing task with runtime.Goexit instead of panicking, and a task's panic is
// recovered; the first of either is the verdict's failure. A run that has not finished
// after Timeout (or by Deadline) is a deadlock: its failure's Stack holds the stacks of
// the main task and of the goroutines started under it, then State's answer; the run's
// goroutines are abandoned, still blocked.
//
// Nothing here is reproducible: Seed, Steps and Hash are zero, Time is wall time.
func RunReal(opts RealOptions, body func(rt *Runtime)) *Verdict {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultRealTimeout
	}
	rr := &realRun{}
	rt := &Runtime{real: rr, params: opts.Params}
	limit := hang.Limit(opts.Timeout, opts.Deadline)
	done := make(chan struct{})
	var root atomic.Int64 // the main task's goroutine, where the report's dump starts
	start := time.Now()
	// done closes after goReal has recorded a panic of main, or the verdict could miss it.
	rr.goRealThen("main", func() { root.Store(hang.ID()); body(rt) }, func() { close(done) })
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		rr.fail(scheduler.FailDeadlock, fmt.Sprintf("the run did not finish within %v", limit),
			hang.Report(root.Load(), opts.State), nil)
	}
	return &Verdict{Failure: rr.first(), Time: time.Since(start)}
}

// goReal starts fn on a goroutine that records a panic as the run's failure.
func (rr *realRun) goReal(name string, fn func()) { rr.goRealThen(name, fn, nil) }

// goRealThen is goReal that calls then, if not nil, once fn has returned, panicked or
// exited, after any panic is recorded.
func (rr *realRun) goRealThen(name string, fn, then func()) {
	go func() {
		if then != nil {
			defer then()
		}
		defer func() {
			if p := recover(); p != nil {
				rr.fail(scheduler.FailPanic, fmt.Sprintf("task %q panicked: %v", name, p), string(debug.Stack()), p)
			}
		}()
		fn()
	}()
}

// failReal records an assertion failure and ends the calling task; its deferred calls
// run, so the groups that own it still see it return.
func (rr *realRun) failReal(msg string) {
	rr.fail(scheduler.FailAssert, msg, string(debug.Stack()), nil)
	runtime.Goexit()
}
