package gort

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// Test is one test function of a translated package.
type Test struct {
	Name string
	F    func(*T)
}

// Main runs tests under the scheduler, one run per (test, seed), and prints one verdict
// line per run in simrun's format (scenario=TEST seed=N strategy=S ok=B steps=N vtime=D
// hash=H, with failure=KIND on a failed run), and the first failing run's report of each
// test on stderr. It returns 1 if any run failed, 0 if all passed, 2 on bad usage. The
// translator's generated main calls it with the binary's arguments:
//
//	-run REGEXP    tests to run (default all)
//	-seeds LIST    seeds, as 1-100,200 (default 1-10)
//	-strategy S    portfolio, random, sequential, pct, pctD, with +jitter (default portfolio)
//	-max-steps N   the step limit of a run (default 1,000,000)
//	-step-time D   virtual time each scheduling step costs (default 1ns; 0 freezes the
//	               clock while any task can run)
//	-watchdog D    wall time a task may run without a scheduling point (default 5s)
//	-failfast      stop a test's seeds at its first failure
//	-v             print every test's log lines
//
// After an escape verdict (a task blocked outside the scheduler, still running) Main
// stops: the abandoned task would share the process-global runtime with the next run.
func Main(tests []Test, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gort", flag.ContinueOnError)
	fs.SetOutput(stderr)
	run := fs.String("run", "", "tests to run (regexp)")
	seedList := fs.String("seeds", "1-10", "seeds to run, as 1-100,200")
	strat := fs.String("strategy", "portfolio", "exploration strategy")
	maxSteps := fs.Uint64("max-steps", 1_000_000, "step limit of a run")
	stepTime := fs.Duration("step-time", StepTime, "virtual time each scheduling step costs")
	watchdog := fs.Duration("watchdog", 5*time.Second, "wall time without a scheduling point before an escape verdict")
	verbose := fs.Bool("v", false, "print the tests' log lines")
	failfast := fs.Bool("failfast", false, "stop a test's seeds at its first failure")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	re, err := regexp.Compile(*run)
	if err != nil {
		fmt.Fprintf(stderr, "gort: bad -run: %v\n", err)
		return 2
	}
	seeds, err := ParseSeeds(*seedList)
	if err != nil {
		fmt.Fprintf(stderr, "gort: %v\n", err)
		return 2
	}
	st, err := sim.ParseStrategy(*strat)
	if err != nil {
		fmt.Fprintf(stderr, "gort: %v\n", err)
		return 2
	}
	code := 0
	for _, tc := range tests {
		if !re.MatchString(tc.Name) {
			continue
		}
		reported := false
		for _, seed := range seeds {
			opts := sim.Options{Seed: seed, Strategy: st, MaxSteps: *maxSteps, Watchdog: *watchdog, StepTime: *stepTime, IdleFiringsMax: IdleFiringsMax}
			r := RunTest(opts, tc)
			fmt.Fprintln(stdout, r.Line())
			if *verbose {
				for _, l := range r.T.logs {
					fmt.Fprintf(stdout, "    %s\n", l)
				}
			}
			if r.OK {
				continue
			}
			code = 1
			if !reported {
				reported = true
				fmt.Fprintf(stderr, "--- %s seed=%d: %s\n%s", tc.Name, seed, r.Failure, r.Verdict.Report())
			}
			if r.Kind == scheduler.FailEscape.String() {
				fmt.Fprintf(stderr, "gort: escape verdict: the escaped task still runs, so no further run can share this process\n")
				return 1
			}
			if *failfast {
				break
			}
		}
	}
	return code
}

// StepTime is the default virtual time a scheduling step of translated code costs. Go's
// clock runs while goroutines compute: a time.NewTicker(time.Nanosecond) has ticked by
// the time a busy goroutine reaches its next select. With the clock frozen until every
// task waits, such a timer could only fire at quiescence, and the interleavings where it
// fires beside a running task (etcd_7492's ticker, istio_18454's timer) were
// unreachable. One nanosecond is the smallest step that lets time pass; a millisecond
// timeout still needs a million steps, so timeouts meant as "long" stay long.
const StepTime = time.Nanosecond

// IdleFiringsMax is how many timer firings in a row that wake no task end a run of
// translated code as a deadlock (or a leak after the test returned): tasks blocked on
// each other beside a running ticker (etcd_7492's, which nobody reads once the deadlock
// holds) are deadlocked, as goleak or go test's timeout would find, though Go's own
// detector stays silent while a timer is armed. At about ten million firings a second,
// the bound costs a tenth of a second of wall time.
const IdleFiringsMax = 1 << 20

// Result is the outcome of one test run.
type Result struct {
	Test    string
	Verdict *sim.Verdict
	T       *T
	OK      bool
	Kind    string // the failure's kind ("assert", "deadlock", "leak"...), "" when OK
	Failure string
}

// Line is the run's verdict line, in simrun's format.
func (r Result) Line() string {
	v := r.Verdict
	s := fmt.Sprintf("scenario=%s seed=%d strategy=%s ok=%t steps=%d vtime=%v hash=%016x",
		r.Test, v.Seed, v.Strategy, r.OK, v.Steps, v.Time, v.Hash)
	if !r.OK {
		s += " failure=" + r.Kind
	}
	return s
}

// RunTest runs one test function as the main task of a run. A test that recorded errors
// fails the run when it returns; one that records them later, from a task still running
// after it returned, fails the result (the verdict itself passed).
func RunTest(opts sim.Options, tc Test) Result {
	t := &T{name: tc.Name}
	v := Run(opts, func() {
		runTest(t, tc.F)
		if t.failed {
			rt().Fail(t.message())
		}
	})
	r := Result{Test: tc.Name, Verdict: v, T: t, OK: v.OK()}
	switch {
	case v.Failure != nil:
		r.Kind, r.Failure = v.Failure.Kind.String(), v.Failure.String()
	case t.failed:
		r.OK, r.Kind, r.Failure = false, scheduler.FailAssert.String(), t.message()
	}
	return r
}

// maxSeeds bounds one seed list, so that a typo cannot ask for 2^64 runs.
const maxSeeds = 10_000_000

// ParseSeeds reads a seed list like "1-1000,4242", in the order given.
func ParseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.ParseUint(lo, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("bad seed %q in %q", lo, s)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(hi, 10, 64); err != nil || b < a {
				return nil, fmt.Errorf("bad seed range %q in %q", part, s)
			}
		}
		if uint64(len(out))+b-a+1 > maxSeeds {
			return nil, fmt.Errorf("seed list %q has more than %d seeds", s, maxSeeds)
		}
		for x := a; ; x++ {
			out = append(out, x)
			if x == b {
				break
			}
		}
	}
	return out, nil
}
