package gort

import (
	"flag"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// Test is one test function of a translated package.
type Test struct {
	Name string
	F    func(*T)
}

// Main runs tests under the scheduler, one run per (test, seed), and prints one verdict
// line per run in simrun's format (scenario=TEST seed=N strategy=S ok=B steps=N vtime=D
// hash=H, with failure=KIND on a failed run), and the first failing run's report of each
// test on stderr, ending with the command that replays it. It returns 1 if any run
// failed, 0 if all passed, 2 on bad usage. The translator's generated main calls it with
// the binary's arguments:
//
//	-run REGEXP          tests to run (default all)
//	-seeds LIST          seeds, as 1-100,200 (default 1-10)
//	-strategy S          portfolio, random, sequential, pct, pctD, with +jitter (default portfolio)
//	-max-steps N         the step limit of a run (default 1,000,000)
//	-step-time D         virtual time each scheduling step costs (default 1ns; 0 freezes the
//	                     clock while any task can run)
//	-watchdog D          wall time a task may run without a scheduling point (default 5s)
//	-failfast            stop a test's seeds at its first failure
//	-json                one JSON object per run instead of verdict lines (simrun's shape)
//	-check-determinism   run each (test, seed) twice; another hash fails it as "nondeterministic"
//	-shard i/n           only job k (the (test, seed) pairs counted from 0) with k mod n = i-1
//	-job-base K          the first job's number (for a slice of a sweep run by another process)
//	-replay-cmd CMD      the replay command's start, "go run ./cmd/simrun test DIR"
//	-out DIR             a failure bundle per failing run (at most 20 per test): TEST-seedN.txt,
//	                     .decisions, .html and .jsonl
//	-replay FILE         run a bundle's decision file instead (the other flags but the
//	                     limits, -trace, -json and -v are ignored: simrun test rejects them)
//	-shrink              minimise the failing run a sweep selects (one test, one seed),
//	                     keeping its failure: exact time, then fewer preemptions; saves
//	                     TEST-seedN.decisions under -out (default .) and prints its replay
//	-trace FILE          write the events of the one run a sweep selects (one test, one
//	                     seed) or of -replay: FILE.html a timeline page, FILE.json Chrome
//	                     trace events, anything else JSON lines
//	-v                   print every test's log lines
//
// After an escape verdict (a task blocked outside the scheduler, still running) Main
// stops: the abandoned task would share the process-global runtime with the next run.
func Main(tests []Test, args []string, stdout, stderr io.Writer) int {
	c, err := parseConfig(args, stderr)
	if err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintf(stderr, "gort: %v\n", err)
		}
		return 2
	}
	if c.replay != "" {
		return c.replayFile(tests, c.replay, stdout, stderr)
	}
	if c.trace != "" || c.shrink {
		var one []job
		for j := range c.jobs(tests) {
			if one = append(one, j); len(one) > 1 {
				break
			}
		}
		if len(one) != 1 {
			fmt.Fprintf(stderr, "gort: -trace and -shrink take one run: -run '^TestX$' and one seed (%d selected)\n", len(one))
			return 2
		}
		if c.shrink {
			return c.shrinkRun(one[0].tc, one[0].seed, stdout, stderr)
		}
	}
	code := 0
	var test string // the test of the jobs so far, whose state follows
	reported, bundles, done := false, 0, false
	for j := range c.jobs(tests) {
		if j.tc.Name != test {
			test, reported, bundles, done = j.tc.Name, false, 0, false
		}
		if done {
			continue // -failfast: the test has failed
		}
		r := c.runOne(j.tc, j.seed)
		c.print(stdout, stderr, r)
		if c.trace != "" {
			if err := runfile.WriteTrace(c.trace, r.Verdict); err != nil {
				fmt.Fprintf(stderr, "gort: -trace: %v\n", err)
				return 1
			}
		}
		if r.OK {
			continue
		}
		code = 1
		bundle := ""
		if c.outDir != "" && bundles < bundlesMax {
			bundles++
			if bundle, err = c.writeBundle(j.tc, r); err != nil {
				fmt.Fprintf(stderr, "gort: -out: %v\n", err)
				return 1
			}
		}
		if !reported {
			reported = true
			c.report(stderr, r, bundle)
		} else if bundle != "" {
			fmt.Fprintf(stderr, "bundle: %s\n", bundle)
		}
		if r.Kind == scheduler.FailEscape.String() {
			fmt.Fprintf(stderr, "gort: escape verdict: the escaped task still runs, so no further run can share this process\n")
			return 1
		}
		done = c.failfast
	}
	return code
}

// config is Main's parsed command line.
type config struct {
	run              *regexp.Regexp
	seeds            []uint64
	strategy         sim.Strategy
	maxSteps         uint64
	stepTime         time.Duration
	watchdog         time.Duration
	verbose          bool
	failfast         bool
	json             bool
	checkDeterminism bool
	shardI, shardN   uint64 // shardI in 0..shardN-1
	jobBase          uint64
	replayCmd        string
	outDir           string // failure bundles
	replay           string // a decision file to run instead of the sweep
	trace            string // the trace file of the one run selected, or of -replay
	shrink           bool   // minimise the one run selected instead
}

// job is one (test, seed) run of a sweep.
type job struct {
	tc   Test
	seed uint64
}

// jobs are the runs this process makes, in order: each test -run selects, in source
// order, over every seed; job k, counted from -job-base, when k mod n = i-1 (-shard).
func (c *config) jobs(tests []Test) iter.Seq[job] {
	return func(yield func(job) bool) {
		k := c.jobBase
		for _, tc := range tests {
			if !c.run.MatchString(tc.Name) {
				continue
			}
			for _, seed := range c.seeds {
				mine := k%c.shardN == c.shardI
				k++
				if mine && !yield(job{tc, seed}) {
					return
				}
			}
		}
	}
}

func parseConfig(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("gort", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	run := fs.String("run", "", "tests to run (regexp)")
	seedList := fs.String("seeds", "1-10", "seeds to run, as 1-100,200")
	strat := fs.String("strategy", "portfolio", "exploration strategy")
	shard := fs.String("shard", "1/1", "run only job k with k mod n = i-1")
	fs.Uint64Var(&c.maxSteps, "max-steps", 1_000_000, "step limit of a run")
	fs.DurationVar(&c.stepTime, "step-time", StepTime, "virtual time each scheduling step costs")
	fs.DurationVar(&c.watchdog, "watchdog", 5*time.Second, "wall time without a scheduling point before an escape verdict")
	fs.BoolVar(&c.verbose, "v", false, "print the tests' log lines")
	fs.BoolVar(&c.failfast, "failfast", false, "stop a test's seeds at its first failure")
	fs.BoolVar(&c.json, "json", false, "one JSON object per run")
	fs.BoolVar(&c.checkDeterminism, "check-determinism", false, "run each (test, seed) twice and compare the hashes")
	fs.Uint64Var(&c.jobBase, "job-base", 0, "the number of the first job")
	fs.StringVar(&c.replayCmd, "replay-cmd", "", "the start of the replay command")
	fs.StringVar(&c.outDir, "out", "", "directory for failure bundles")
	fs.StringVar(&c.replay, "replay", "", "run a decision file")
	fs.StringVar(&c.trace, "trace", "", "write the trace of the one run (.html, .json or JSON lines)")
	fs.BoolVar(&c.shrink, "shrink", false, "minimise the one failing run selected")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.run, err = regexp.Compile(*run); err != nil {
		return nil, fmt.Errorf("bad -run: %v", err)
	}
	if c.seeds, err = ParseSeeds(*seedList); err != nil {
		return nil, err
	}
	if c.strategy, err = sim.ParseStrategy(*strat); err != nil {
		return nil, err
	}
	if c.shardI, c.shardN, err = ParseShard(*shard); err != nil {
		return nil, err
	}
	return c, nil
}

// ParseShard reads "i/n" with 1 <= i <= n and returns i-1 and n: job k belongs to the
// shard when k mod n == i-1.
func ParseShard(s string) (i, n uint64, err error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.ParseUint(a, 10, 64)
	n, err2 := strconv.ParseUint(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || n == 0 || i == 0 || i > n {
		return 0, 0, fmt.Errorf("bad -shard %q: want i/n with 1 <= i <= n, e.g. 2/8", s)
	}
	return i - 1, n, nil
}

// Result is the outcome of one test run.
type Result struct {
	Test    string
	Verdict *sim.Verdict
	T       *T
	OK      bool
	Kind    string // the failure's kind ("assert", "deadlock", "leak"...), "" when OK
	Failure string
	// Detail replaces the verdict's report, for a failure Main finds itself (a run that
	// is not deterministic).
	Detail string
}

// Line is the run's verdict line, in simrun's format.
func (r Result) Line() string { return r.Shared().Line() }

// Shared is the run's outcome in the shape both simrun front ends print, with the test as
// the scenario: its verdict line and its -json object.
func (r Result) Shared() runfile.Result {
	s := runfile.NewResult(r.Test, r.Verdict)
	s.OK, s.Kind, s.Failure = r.OK, r.Kind, r.Failure
	return s
}

// RunTest runs one test function as the main task of a run. A test that recorded errors
// fails the run when it returns; a task still running after it returned that logs or
// fails through its T panics, as under go test ("Log in goroutine after TestX has
// completed").
func RunTest(opts sim.Options, tc Test) Result {
	t := &T{name: tc.Name}
	v := Run(opts, func() {
		runTest(t, tc.F)
		if t.Failed() {
			rt().Fail(t.message())
		}
	})
	r := Result{Test: tc.Name, Verdict: v, T: t, OK: v.OK()}
	if v.Failure != nil {
		r.Kind, r.Failure = v.Failure.Kind.String(), v.Failure.String()
	}
	return r
}

// maxSeeds bounds one seed list: the seeds are expanded into a slice.
const maxSeeds = 10_000_000

// ParseSeeds reads a seed list like "1-1000,4242" (the format of sim/internal/runfile),
// in the order given.
func ParseSeeds(s string) ([]uint64, error) {
	spans, err := runfile.ParseSeeds(s)
	if err != nil {
		return nil, err
	}
	if runfile.Count(spans) > maxSeeds {
		return nil, fmt.Errorf("seed list %q has more than %d seeds", s, maxSeeds)
	}
	var out []uint64
	runfile.Each(spans, func(seed uint64) bool { out = append(out, seed); return true })
	return out, nil
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
