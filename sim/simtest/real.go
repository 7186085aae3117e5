package simtest

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/hang"
)

// Real runs body, a test on real goroutines (sim.Real(), net.Pipe, loopback TCP), with a
// deadline of its own, so that a hang fails the test with a report instead of waiting for
// go test's 10-minute alarm. body runs on a goroutine of its own while the test's
// goroutine waits for it at most opts.Timeout (default sim.DefaultRealTimeout), cut to
// end 3s (hang.Margin) before the earlier of opts.Deadline and t.Deadline(); opts.Params
// is not used. Past that, Real fails t with t.Fatalf from the test's goroutine, naming
// the test, with the stacks of body's goroutine and of the goroutines started under it,
// opts.State's answer and the command that reruns the test.
//
// body may call t's methods, t.Fatal and t.Skip included: they end body's goroutine,
// and Real then ends the test's the same way. A panic in body is raised again on the
// test's goroutine, with body's stack. A body that is over its deadline is left blocked
// (its test has failed; a goroutine cannot be stopped from outside); if it wakes after
// the test has ended and calls t's methods, the testing package panics.
//
// Once a body has passed its deadline, every later Real of the test process fails its
// test at once, naming the test that hung: a hang in the code under test usually hangs
// every test of it, and the run should end within one deadline, not one per test.
//
// Call Real from the test's goroutine, at most once per test; run subtests inside body
// or call Real in each.
func Real(t *testing.T, opts sim.RealOptions, body func(t *testing.T)) {
	t.Helper()
	if opts.Timeout <= 0 {
		opts.Timeout = sim.DefaultRealTimeout
	}
	deadline := opts.Deadline
	if d, ok := t.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
		deadline = d
	}
	limit := hang.Limit(opts.Timeout, deadline)
	if first := hungTest.Load(); first != nil {
		t.Fatalf("simtest: %s not run: %s hung earlier in this test process, and its goroutines are still blocked\nrerun: %s",
			t.Name(), *first, rerunCommand(t.Name()))
	}
	r := &realBody{done: make(chan struct{}), root: make(chan int64, 1)}
	go r.run(t, body)
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-r.done:
	case <-timer.C:
		report := hang.Report(<-r.root, opts.State)
		name := t.Name()
		hungTest.CompareAndSwap(nil, &name)
		t.Fatalf("simtest: %s did not finish within %v (hung?); its goroutines are left blocked\n%s\nrerun: %s",
			name, limit.Round(time.Millisecond), report, rerunCommand(name))
	}
	switch {
	case r.panicked != nil:
		panic(fmt.Sprintf("%v [in the test body's goroutine]\n\n%s", r.panicked, r.stack))
	case r.returned:
	case t.Skipped():
		t.SkipNow()
	case t.Failed():
		t.FailNow()
	default:
		t.Fatalf("simtest: the body of %s called runtime.Goexit", t.Name())
	}
}

// hungTest is the name of the first test of the process whose body passed its deadline.
// Every later Real fails at once: the hung goroutines still hold whatever they hold, and
// one that wakes after its test has ended and calls t's methods panics the process, so
// later results would be suspect; and a hang in an engine under test usually hangs every
// test that uses it, which would add a deadline per test to the run.
var hungTest atomic.Pointer[string]

// rerunCommand is the command that runs test name alone.
func rerunCommand(name string) string { return strings.TrimSuffix(goTest(name), " -args") }

// realBody is one run of Real's body; its fields are written before done closes.
type realBody struct {
	done     chan struct{}
	root     chan int64 // the body's goroutine ID, sent first thing
	returned bool       // body returned (it did not Goexit or panic)
	panicked any
	stack    []byte
}

func (r *realBody) run(t *testing.T, body func(t *testing.T)) {
	r.root <- hang.ID()
	defer close(r.done)
	defer func() {
		if p := recover(); p != nil {
			r.panicked, r.stack = p, debug.Stack()
		}
	}()
	body(t)
	r.returned = true
}
