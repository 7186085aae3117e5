package scheduler

import (
	"fmt"
	"strconv"
	"strings"
)

// StrategyKind names an exploration strategy.
type StrategyKind uint8

const (
	// Portfolio lets the seed pick one of portfolioMembers, so that a single number still
	// reproduces a run. It is the default.
	Portfolio StrategyKind = iota
	// Random is a uniform random walk: at every decision each candidate is equally likely.
	// It finds shallow, symmetric races (lost updates) quickly and practically never finds
	// an ordering bug behind a long prefix.
	Random
	// PCT is probabilistic concurrency testing (Burckhardt et al. 2010): random distinct
	// task priorities, always run the highest, and demote the running task at Depth-1
	// change points spread over the first Steps contended decisions. It finds a bug of
	// depth d with probability at least 1/(n·Steps^(d-1)) per run.
	PCT
	// Replay follows Decisions, a list recorded by an earlier run; past its end, or where an
	// entry does not fit, it takes the non-preemptive default (and exact time), unless
	// Continue is set.
	Replay
	// Sequential never preempts: it keeps the current task while it can run and otherwise
	// takes the oldest. It is Replay's default, and probes how many decisions a scenario
	// takes (PCT's Steps).
	Sequential
	// Tape takes every decision from Source (tape.go): scheduling decisions, choices among
	// ready events, and every random stream (workload, network, fault sites). A draw of 0
	// is the default (no preemption, no fault, the smallest choice), so a property-testing
	// library that shrinks draws towards 0 (package sim/simrapid drives it from rapid)
	// shrinks the schedule, the faults and the workload together. Seed is unused.
	Tape
)

// Strategy says how a run explores schedules. The zero value is the portfolio.
type Strategy struct {
	Kind StrategyKind
	// Depth is PCT's bug depth d. Default 3.
	Depth int
	// Steps is PCT's estimate of the number of decisions with more than one candidate.
	// Default 100; harnesses measure it per scenario with a Sequential run.
	Steps int
	// Decisions is Replay's script: task IDs for scheduling decisions and indexes for
	// choices among ready events, in the order the run drew them.
	Decisions []int32
	// Continue, with Replay, takes the decisions past the script's end as Random does (or
	// more sparsely, ContinuePreempt), and with Jitter draws the time perturbation at
	// random, instead of taking the non-preemptive default and exact time: the script is
	// a prefix, and the rest of the run is a fresh random walk. Its draws come from streams derived from ContinueSeed,
	// not Seed, so that runs of one prefix with different ContinueSeeds differ only past
	// the prefix (the workload and faults Seed draws stay the same). With Options.Record
	// the whole run is recorded as usual, so each such run replays as a plain Replay of
	// its own Decisions. Default false: Replay as it always was.
	Continue bool
	// ContinueSeed seeds the continuation's streams, with Continue. Default 0.
	ContinueSeed uint64
	// ContinuePreempt, with Continue, is the probability in (0, 1) that a decision of the
	// continuation departs from the default (the non-preemptive choice, the first ready
	// event) to a uniformly drawn candidate: a random walk as sparse in preemptions as
	// the run it continues, where a uniform walk would fail a shallow race from any
	// prefix. Default 0 (or 1 or more): the uniform random walk.
	ContinuePreempt float64
	// Source is Tape's supplier of draws; it must be set for Tape and is unused
	// otherwise. Default nil.
	Source Source
	// Jitter perturbs virtual time (jitter.go): timers fire late by a drawn fraction of
	// their duration, coalesce with timers due shortly after, and fire in a drawn order.
	// On a concrete strategy it is printed as "+jitter" (random+jitter, pct2+jitter). On
	// the portfolio it turns the perturbation on in every member; false lets the member
	// decide (half of them perturb). Default off. Options.TimeJitter overrides it.
	Jitter bool
}

// Defaults of a Strategy's fields.
const (
	DefaultDepth = 3
	DefaultSteps = 100
)

// portfolioMembers are the strategies the portfolio alternates between: random walk for
// lost updates, PCT at depths 1-3 for ordering bugs (SCTBench and Coyote both find a
// portfolio stronger than any single member), each at exact virtual time and with the
// time perturbation, which finds races whose window exact time puts at an instant no
// task reaches. The first half repeats the second without jitter, so that a seed picks
// the same kind of strategy as it did when the portfolio had only the first four.
var portfolioMembers = [...]Strategy{
	{Kind: Random},
	{Kind: PCT, Depth: 1},
	{Kind: PCT, Depth: 2},
	{Kind: PCT, Depth: 3},
	{Kind: Random, Jitter: true},
	{Kind: PCT, Depth: 1, Jitter: true},
	{Kind: PCT, Depth: 2, Jitter: true},
	{Kind: PCT, Depth: 3, Jitter: true},
}

// Resolve returns the concrete strategy a run with this seed uses: the portfolio member
// the seed selects, with defaults filled in.
func (st Strategy) Resolve(seed uint64) Strategy {
	if st.Kind == Portfolio {
		m := portfolioMembers[mix64(seed^0x706f7274666f6c69)%uint64(len(portfolioMembers))]
		m.Steps = st.Steps
		m.Jitter = m.Jitter || st.Jitter
		st = m
	}
	if st.Kind == PCT {
		if st.Depth <= 0 {
			st.Depth = DefaultDepth
		}
		if st.Steps <= 0 {
			st.Steps = DefaultSteps
		}
	}
	return st
}

// String gives the strategy's name as the CLI takes it: random, pct3, portfolio,
// sequential, replay, tape, with "+jitter" when the time perturbation is on.
func (st Strategy) String() string {
	if st.Jitter {
		return st.kindString() + jitterSuffix
	}
	return st.kindString()
}

// jitterSuffix marks a strategy with the time perturbation on.
const jitterSuffix = "+jitter"

func (st Strategy) kindString() string {
	switch st.Kind {
	case Portfolio:
		return "portfolio"
	case Random:
		return "random"
	case PCT:
		d := st.Depth
		if d <= 0 {
			d = DefaultDepth
		}
		return "pct" + strconv.Itoa(d)
	case Replay:
		return "replay"
	case Sequential:
		return "sequential"
	case Tape:
		return "tape"
	}
	return fmt.Sprintf("strategy%d", st.Kind)
}

// ParseStrategy reads a strategy name: portfolio, random, sequential, pct (depth 3), or
// pctD for depth D, each optionally followed by +jitter (String's output parses back).
func ParseStrategy(s string) (Strategy, error) {
	if base, ok := strings.CutSuffix(s, jitterSuffix); ok {
		st, err := parseKind(base)
		st.Jitter = err == nil
		return st, err
	}
	return parseKind(s)
}

func parseKind(s string) (Strategy, error) {
	switch s {
	case "", "portfolio":
		return Strategy{Kind: Portfolio}, nil
	case "random":
		return Strategy{Kind: Random}, nil
	case "sequential":
		return Strategy{Kind: Sequential}, nil
	case "pct":
		return Strategy{Kind: PCT, Depth: DefaultDepth}, nil
	}
	if d, ok := strings.CutPrefix(s, "pct"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 1 && n <= 16 {
			return Strategy{Kind: PCT, Depth: n}, nil
		}
	}
	return Strategy{}, fmt.Errorf("unknown strategy %q (want portfolio, random, sequential, pct or pct1..pct16, optionally +jitter)", s)
}

// chooser makes a strategy's decisions. pick is called only with two or more candidates,
// choose only with n >= 2; both draw from the schedule stream alone.
type chooser interface {
	spawned(t *Task)
	yielded(t *Task)
	pick(cur *Task, cands []*Task) *Task
	choose(n int) int
}

func newChooser(st Strategy, r *Rand) chooser {
	switch st.Kind {
	case Random:
		return &randomWalk{r: r}
	case PCT:
		return newPCT(st, r)
	case Replay:
		r := &replay{script: st.Decisions}
		if st.Continue {
			r.rest = &continuation{r: newRand(st.ContinueSeed, "continue"), preempt: st.ContinuePreempt}
			r.restTime = newRand(st.ContinueSeed, "continue-time")
		}
		return r
	case Sequential:
		return sequential{}
	case Tape:
		if st.Source == nil {
			panic("scheduler: the tape strategy needs a Source")
		}
		return &tapeChooser{src: st.Source}
	}
	panic("scheduler: unresolved strategy " + st.String())
}

type randomWalk struct{ r *Rand }

func (*randomWalk) spawned(*Task) {}
func (*randomWalk) yielded(*Task) {}

//go:norace
func (w *randomWalk) pick(_ *Task, cands []*Task) *Task { return cands[w.r.IntN(len(cands))] }

//go:norace
func (w *randomWalk) choose(n int) int { return w.r.IntN(n) }

// continuation takes Replay's decisions past the script's end (Strategy.Continue): a
// uniform random walk, or with preempt in (0, 1) one that departs from the default only
// with that probability.
type continuation struct {
	r       *Rand
	preempt float64
}

//go:norace
func (c *continuation) sparse() bool { return c.preempt > 0 && c.preempt < 1 }

//go:norace
func (c *continuation) pick(cur *Task, cands []*Task) *Task {
	if c.sparse() && !c.r.Happens(c.preempt) {
		return nonPreemptive(cur, cands)
	}
	return cands[c.r.IntN(len(cands))]
}

//go:norace
func (c *continuation) choose(n int) int {
	if c.sparse() && !c.r.Happens(c.preempt) {
		return 0
	}
	return c.r.IntN(n)
}

type sequential struct{}

func (sequential) spawned(*Task) {}
func (sequential) yielded(*Task) {}

//go:norace
func (sequential) pick(cur *Task, cands []*Task) *Task { return nonPreemptive(cur, cands) }

func (sequential) choose(int) int { return 0 }

// nonPreemptive keeps cur if it can run, else takes the oldest candidate.
//
//go:norace
func nonPreemptive(cur *Task, cands []*Task) *Task {
	for _, c := range cands {
		if c == cur {
			return c
		}
	}
	return cands[0]
}

type replay struct {
	script []int32
	at     int
	// rest and restTime, with Strategy.Continue, take the decisions and the time draws
	// past the script's end; nil takes the non-preemptive default and exact time.
	rest     *continuation
	restTime *Rand
}

func (*replay) spawned(*Task) {}
func (*replay) yielded(*Task) {}

//go:norace
func (r *replay) pick(cur *Task, cands []*Task) *Task {
	if r.at < len(r.script) {
		id := TaskID(r.script[r.at])
		r.at++
		for _, c := range cands {
			if c.id == id {
				return c
			}
		}
	} else if r.rest != nil {
		return r.rest.pick(cur, cands)
	}
	return nonPreemptive(cur, cands)
}

//go:norace
func (r *replay) choose(n int) int {
	if r.at < len(r.script) {
		k := int(r.script[r.at])
		r.at++
		if k >= 0 && k < n {
			return k
		}
	} else if r.rest != nil {
		return r.rest.choose(n)
	}
	return 0
}
