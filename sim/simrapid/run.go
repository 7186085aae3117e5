package simrapid

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// Options configure Run: the simulated run's options, whose Strategy Run replaces with
// the tape, and the cap on draws.
type Options struct {
	sim.Options
	// MaxDraws caps the values a run draws from rapid; later decisions take 0 (no
	// preemption, no fault, the smallest choice). It keeps rapid's input, and so the
	// shrinker's work, bounded for runs that take many decisions. Default
	// DefaultMaxDraws.
	MaxDraws int
	// DepartEvery sets how often, while rapid generates, a draw departs from its default
	// 0: once in DepartEvery draws, and then uniformly among the other choices. A run
	// then starts with few preemptions, faults and non-minimal choices, and shrinks to a
	// minimal schedule more often. 1 draws every choice uniformly. Default
	// DefaultDepartEvery.
	DepartEvery int
}

// Defaults of Options.
const (
	// DefaultMaxDraws is well above the contended decisions of the properties in this
	// repository (a few hundred), well below what makes shrinking slow.
	DefaultMaxDraws = 4096
	// DefaultDepartEvery finds the known mux bugs about as fast as uniform draws, and
	// shrinks them to one or two preemptions where uniform draws stop at two to nine
	// (TestProperty with B1, B3, B6).
	DefaultDepartEvery = 4
)

// Run runs body as the main task of a simulated run whose every decision is drawn from t,
// and returns the verdict and the tape of draws. It must be called from the property's
// goroutine (contract item 1); it fails nothing itself: check the verdict with Check.
func Run(t *rapid.T, opts Options, body func(rt *sim.Runtime)) (*sim.Verdict, Tape) {
	if opts.MaxDraws <= 0 {
		opts.MaxDraws = DefaultMaxDraws
	}
	if opts.DepartEvery <= 0 {
		opts.DepartEvery = DefaultDepartEvery
	}
	var v *sim.Verdict
	// The run happens inside a custom generator, whose T does not log each draw; rapid
	// logs the tape once, as the generator's value (contract item 5).
	tape := rapid.Custom(func(it *rapid.T) Tape {
		src := newSource(it, opts.MaxDraws, opts.DepartEvery)
		o := opts.Options
		o.Strategy = sim.Strategy{Kind: scheduler.Tape, Source: src}
		v = sim.Run(o, body)
		src.close()
		if src.ended != nil && (len(src.tape) == 0 || !isOverrun(src.ended)) {
			// Not the end of the input (rapid's own failure), or the end before the first
			// draw (not a test case): rapid must see it, from this goroutine.
			panic(src.ended)
		}
		if len(src.tape) == 0 {
			// rapid requires a generator to draw something: a run without a contended
			// decision draws one value that means nothing.
			rapid.Bool().Draw(it, "")
		}
		return src.tape
	}).Draw(t, "schedule")
	return v, tape
}

// isOverrun reports whether v is the panic with which rapid says that its input has run
// out. rapid does not export the type; should its name change, an input that runs out
// mid-run is rejected as invalid, as rapid would, instead of ending the tape.
func isOverrun(v any) bool { return fmt.Sprintf("%T", v) == "rapid.invalidData" }

// Replay runs body again with the draws of tape, without rapid: the same run as the one
// that recorded it, for a report with more detail (opts.Log keeps every event, and
// scheduler.Preemptions counts them). opts.Strategy is replaced.
func Replay(opts sim.Options, tape Tape, body func(rt *sim.Runtime)) *sim.Verdict {
	opts.Strategy = sim.Strategy{Kind: scheduler.Tape, Source: &scheduler.ListSource{Draws: tape}}
	return sim.Run(opts, body)
}

// Check fails t, from the property's goroutine, if the run failed. Each kind of failure
// fails on its own line, because rapid's shrinker keeps a smaller case only if it fails
// at the same place: a deadlock does not shrink into a leak.
func Check(t *rapid.T, v *sim.Verdict, tape Tape) {
	if v.OK() {
		return
	}
	const format = "simulated run failed (%v):\n%s"
	switch v.Failure.Kind {
	case scheduler.FailAssert:
		t.Fatalf(format, tape, v.Report())
	case scheduler.FailPanic:
		t.Fatalf(format, tape, v.Report())
	case scheduler.FailDeadlock:
		t.Fatalf(format, tape, v.Report())
	case scheduler.FailLeak:
		t.Fatalf(format, tape, v.Report())
	default: // livelock and escape
		t.Fatalf(format, tape, v.Report())
	}
}
