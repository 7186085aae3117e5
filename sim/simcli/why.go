package simcli

import (
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
	"github.com/muxsim/muxsim/sim/internal/runfile"
	"github.com/muxsim/muxsim/sim/internal/shrink"
)

// -why asks of a failing run where its failure became inevitable. It replays the first k
// of the run's decisions and lets a random walk take the rest (Strategy.Continue), N times
// per k, and measures how often the run still fails the same way (shrink.Same). With k = 0
// that is the random walk's own odds; with every decision replayed it is 1. Somewhere in
// between it jumps: the last k at which the failure is still avoidable and the first from
// which (almost) every continuation fails name the decision that sealed it, and its step
// is where a person starts reading the trace.
//
// The probability is not monotone in k in general (a prefix can make the failure likely,
// and the next decision steer away from it), so the search is a heuristic: every k for a
// short run, else a coarse grid and then a bisection between the last grid point below
// the threshold and the first from which every grid point is above it.
const (
	whyRunsDefault = 20    // trials per prefix without -why-runs
	whyRunsMax     = 10000 // -why-runs at most
	whyAllMax      = 64    // a run with at most this many decisions has every prefix tried
	whyGrid        = 16    // else the grid has this many intervals
	whyHigh        = 0.9   // P(fail) from which the failure counts as inevitable
	whyLow         = 0.5   // P(fail) below which the run was still likely to pass
)

// whyPoint is one measured prefix.
type whyPoint struct {
	k                int    // decisions replayed
	step             uint64 // the step of the k-th decision; 0 for k = 0
	fails, runs      int
	failSeed, passed uint64 // the ContinueSeed of a failing and of a passing trial; 0 for none
}

func (p *whyPoint) rate() float64 { return float64(p.fails) / float64(p.runs) }
func (p *whyPoint) high() bool    { return p.rate() >= whyHigh }
func (p *whyPoint) low() bool     { return p.rate() < whyLow }

// explainer holds one -why analysis: the file's run and the prefixes measured so far.
type explainer struct {
	cfg    *invocation
	sc     *catalog.Scenario
	script *runfile.Script // its decisions are the reference run's whole recording
	ref    *sim.Verdict    // the file's run, with its event log
	want   *scheduler.Failure
	// preempt is the continuations' probability of departing from the default (0: the
	// uniform random walk): the file's own share of preemptions (whyDensity).
	preempt float64
	points  map[int]*whyPoint
}

// explainFile is -why FILE: it replays the file (which must fail), measures P(fail) by
// prefix, and prints the table, the verdict and the events around the jump. Exit status
// 1 (the run fails) once explained, 2 when the file cannot be read or its run passes.
func explainFile(cfg *invocation, path string, stdout, stderr io.Writer) int {
	sc, s, err := cfg.loadScript(path, modeWhy)
	if err != nil {
		cfg.errorf(stderr, "-why: %v\n", err)
		return 2
	}
	ref, _ := cfg.replayRun(sc, s, true)
	if s.Hash != 0 && ref.Hash != s.Hash {
		cfg.errorf(stderr, "-why: %s no longer replays the run it recorded (%s): the code under test changed since the file was written\n",
			path, straying(s.Decisions, ref.Decisions))
		return 2
	}
	if ref.OK() {
		cfg.errorf(stderr, "-why: %s passes: no failure to explain\n", path)
		return 2
	}
	full := *s
	full.Decisions = ref.Decisions
	e := &explainer{cfg: cfg, sc: sc, script: &full, ref: ref, want: ref.Failure, points: map[int]*whyPoint{},
		preempt: whyDensity(ref.Decisions)}
	lo, hi := e.search()
	fmt.Fprintf(stdout, "why: %s, scenario %s seed %d: %s\n", path, sc.Name, s.Seed, ref.Failure)
	walk := "a uniform random walk, as dense in preemptions as the file's"
	if e.preempt > 0 {
		walk = fmt.Sprintf("a random walk that preempts at %.2g%% of decisions, as the file does", 100*e.preempt)
	}
	fmt.Fprintf(stdout, "%d decisions over %d steps; each prefix of k decisions replayed, the rest drawn %d times by %s\n\n",
		len(ref.Decisions), ref.Steps, cfg.whyRuns, walk)
	e.printTable(stdout, hi)
	fmt.Fprintln(stdout)
	e.printVerdict(stdout, lo, hi)
	if cfg.traceFile != "" {
		if err := runfile.WriteTrace(cfg.traceFile, e.marked(lo, hi)); err != nil {
			cfg.errorf(stderr, "-trace: %v\n", err)
			return 2
		}
	}
	if cfg.outDir != "" {
		if err := e.saveTrials(stdout, lo, hi); err != nil {
			cfg.errorf(stderr, "-out: %v\n", err)
			return 2
		}
	}
	return 1
}

// search measures the prefixes and returns the jump, two adjacent prefixes lo and hi =
// lo+1: hi's decision is the one that sealed the failure. First every prefix or the grid;
// then high, the first measured prefix from which every measured one fails at whyHigh or
// more; low, the last measured prefix before it below whyLow (or, when none is, the one
// of least P(fail)); then a bisection between them on the midpoint of their P(fail), which
// lands on the decision where the probability crosses it, the steepest part of the rise.
// lo is -1 when even the empty prefix fails at whyHigh: no decision was needed.
func (e *explainer) search() (lo, hi int) {
	n := len(e.script.Decisions)
	var ks []int
	if n <= whyAllMax {
		for k := 0; k <= n; k++ {
			ks = append(ks, k)
		}
	} else {
		for i := 0; i <= whyGrid; i++ {
			ks = append(ks, i*n/whyGrid)
		}
	}
	for _, k := range ks {
		e.measure(k)
	}
	hi = n
	for i := len(ks) - 1; i >= 0 && e.points[ks[i]].high(); i-- {
		hi = ks[i]
	}
	if hi == 0 {
		return -1, 0
	}
	lo = -1
	for _, k := range ks {
		if k >= hi {
			break
		}
		if e.points[k].low() || lo < 0 || e.points[k].rate() <= e.points[lo].rate() {
			lo = k
		}
	}
	mid := (e.points[lo].rate() + e.points[hi].rate()) / 2
	for hi-lo > 1 {
		k := (lo + hi) / 2
		if e.measure(k).rate() >= mid {
			hi = k
		} else {
			lo = k
		}
	}
	return lo, hi
}

// whyDensity is the continuations' ContinuePreempt: the share of the file's scheduling
// decisions (its non-negative ones) that preempt, at least one. A uniform walk is what
// explains a dense schedule (a random walk's own run); a shallow race that a uniform walk
// hits from any prefix is explained by a walk as sparse as the schedule that found it
// (a shrunk file's few preemptions), where P(fail) still depends on the prefix. At half or
// more it is 0, the uniform walk, which departs from the default at least that often.
func whyDensity(decisions []int32) float64 {
	n, pre := 0, 0
	for _, d := range decisions {
		if d >= 0 {
			n++
		}
		if d > 0 {
			pre++
		}
	}
	if n == 0 {
		return 0
	}
	p := float64(max(pre, 1)) / float64(n)
	if p >= 0.5 {
		return 0
	}
	return p
}

// trialSeed is the ContinueSeed of trial i of prefix k: each trial is its own random walk,
// and the same command draws the same ones.
func trialSeed(k, i int) uint64 { return uint64(k)<<32 | uint64(i+1) }

// trial runs the file's run with its first k decisions replayed and the rest drawn from
// seed, recorded (and logged with log).
func (e *explainer) trial(k int, seed uint64, log bool) *sim.Verdict {
	o := e.cfg.options(e.sc.Name, e.script.Seed)
	o.Strategy = sim.Strategy{Kind: sim.ReplayKind, Decisions: e.script.Decisions[:k], Jitter: e.script.Jitter,
		Continue: true, ContinueSeed: seed, ContinuePreempt: e.preempt}
	o.TimeJitter = sim.JitterStrategy // the script says
	o.SuppressFaults, o.Params = e.script.Suppress, e.script.Params
	o.Record, o.Log = true, log
	return e.sc.Run(o)
}

// measure runs the trials of prefix k on cfg.parallel workers, once per k.
func (e *explainer) measure(k int) *whyPoint {
	if p, ok := e.points[k]; ok {
		return p
	}
	runs := e.cfg.whyRuns
	same := make([]bool, runs)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(e.cfg.parallel, runs) {
		wg.Go(func() {
			for i := range next {
				same[i] = shrink.Same(e.trial(k, trialSeed(k, i), false), e.want)
			}
		})
	}
	for i := range runs {
		next <- i
	}
	close(next)
	wg.Wait()
	p := &whyPoint{k: k, runs: runs}
	if k > 0 {
		p.step = e.ref.DecisionSteps[k-1]
	}
	for i, f := range same {
		switch {
		case f:
			p.fails++
			if p.failSeed == 0 {
				p.failSeed = trialSeed(k, i)
			}
		case p.passed == 0:
			p.passed = trialSeed(k, i)
		}
	}
	e.points[k] = p
	return p
}

// sorted returns the measured prefixes in order of k.
func (e *explainer) sorted() []*whyPoint {
	ps := make([]*whyPoint, 0, len(e.points))
	for _, p := range e.points {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b *whyPoint) int { return a.k - b.k })
	return ps
}

// marked is the file's run for -trace, with a note at the jump: an event of the task the
// jump's decision ran, just before the decision's run event (with the Seq of the event
// before it, so holds and blocks still pair with their events). The run is over, so the
// note feeds no hash; the verdict's Hash stays the run's.
func (e *explainer) marked(lo, hi int) *sim.Verdict {
	if lo < 0 {
		return e.ref
	}
	step := e.ref.DecisionSteps[hi-1]
	pl, ph := e.points[lo], e.points[hi]
	v := *e.ref
	v.Events = make([]scheduler.Event, 0, len(e.ref.Events)+1)
	done := false
	for i, ev := range e.ref.Events {
		if !done && ev.Step >= step {
			note := scheduler.Event{Step: step, Time: ev.Time, Kind: scheduler.EvNote, Task: ev.Task,
				Text: fmt.Sprintf("-why: the failure became likely here: %d/%d continuations fail after %d decisions, %d/%d after %d",
					pl.fails, pl.runs, lo, ph.fails, ph.runs, hi)}
			if run, _, ok := e.pickAt(hi - 1); ok {
				note.Task = run.Task
			}
			if i > 0 {
				note.Seq = e.ref.Events[i-1].Seq
			}
			v.Events, done = append(v.Events, note), true
		}
		v.Events = append(v.Events, ev)
	}
	return &v
}

// saveTrials writes, to -out DIR, a passing trial of prefix lo and a failing one of prefix
// hi as decision files, each the whole recorded run, so -replay runs it again.
func (e *explainer) saveTrials(w io.Writer, lo, hi int) error {
	save := func(k int, seed uint64, what string) error {
		v := e.trial(k, seed, false)
		s := *e.script
		s.Decisions, s.Hash = runfile.TrimZeros(v.Decisions), v.Hash
		name := fmt.Sprintf("%s-seed%d-why-k%d-%s", s.Scenario, s.Seed, k, what)
		path, err := saveScriptAs(e.cfg, &s, name, fmt.Sprintf("-why trial: %d decisions replayed, the rest drawn with seed %d; %s", k, seed, what))
		if err == nil {
			fmt.Fprintf(w, "%s trial: %s\n", what, e.cfg.replayOf(s.Scenario, s.Seed, "").fileCommand(path))
		}
		return err
	}
	if lo >= 0 && e.points[lo].passed != 0 {
		if err := save(lo, e.points[lo].passed, "passing"); err != nil {
			return err
		}
	}
	if p := e.points[hi]; p != nil && p.failSeed != 0 && hi < len(e.script.Decisions) {
		return save(hi, p.failSeed, "failing")
	}
	return nil
}
