package sim

import (
	"time"

	"github.com/muxsim/muxsim/scheduler"
)

// Options configure a simulated run. The zero value is usable: every field documents its
// default, and the same Options give the same verdict and trace hash.
type Options struct {
	// Seed derives every random stream of the run. Default 0.
	Seed uint64
	// Strategy explores schedules: Portfolio, Random, Sequential, PCTDepth(d), or a
	// recorded script (Strategy{Kind: ReplayKind, Decisions: ...}). Default: the
	// portfolio, which lets Seed choose the concrete strategy.
	Strategy Strategy
	// MaxSteps bounds the number of scheduling decisions; reaching it is a livelock
	// verdict. Default 10,000,000.
	MaxSteps uint64
	// MaxTime bounds virtual time; a timer beyond it is a livelock verdict. Default 24h.
	MaxTime time.Duration
	// Watchdog is how long, in wall-clock time, a task may run without reaching a
	// scheduling point before the run ends with an escape verdict. Default 5s; negative
	// disables it.
	Watchdog time.Duration
	// Baton selects the handoff between tasks. Default: coroutines, or channels under
	// -race (which keep the race detector useful).
	Baton Baton
	// Record keeps the run's decisions in Verdict.Decisions, for replay (the time
	// perturbation's draws included). Default off.
	Record bool
	// TimeJitter switches the seeded perturbation of virtual time: timers fire a little
	// late, coalesce with timers due shortly after, and fire in a drawn order, so that a
	// race window exact time puts at an instant no task reaches becomes reachable.
	// JitterStrategy (default) leaves it to the strategy: on in half of the portfolio's
	// members, and for a strategy parsed from "random+jitter", "pct2+jitter"...;
	// JitterOn and JitterOff force it for the run.
	TimeJitter Jitter
	// Tail is how many of the last events a verdict keeps. Default 64.
	Tail int
	// Log keeps every event in Verdict.Events (for traces). Default off.
	Log bool
	// StepTime is the virtual time each scheduling decision costs, so that time passes
	// while tasks run (translated Go uses it: a short ticker fires between the steps of a
	// busy task, as on a real machine). Default 0: time advances only when every task
	// waits.
	StepTime time.Duration
	// IdleFiringsMax bounds the timer firings in a row that wake no task: past it the run
	// is a deadlock (a leak once main returned), as with no timer pending. For tasks all
	// blocked beside a ticker nobody reads. Default 0: unbounded (MaxTime ends the run).
	IdleFiringsMax uint64

	// Faults configures fault points. Default: enabled with FoundationDB's probabilities.
	Faults Faults
	// Coverage, if not nil, collects the run's Sometimes sites. Default nil.
	Coverage *Coverage
	// SuppressFaults lists faults, numbered from 1 in the order the run draws them, that
	// are drawn but not injected (see Runtime.Inject): the shrinker's handle on faults.
	// Default none.
	SuppressFaults []int
	// FaultLog, if not nil, receives the faults the run drew. Default nil.
	FaultLog *FaultLog
	// Params are the workload sizes Runtime.Param returns. Default none.
	Params Params
}

// Scheduler returns the scheduler's options for this run: for code that drives the
// scheduler directly.
func (o Options) Scheduler() scheduler.Options {
	return scheduler.Options{Seed: o.Seed, Strategy: o.Strategy, MaxSteps: o.MaxSteps, MaxTime: o.MaxTime,
		Watchdog: o.Watchdog, Baton: o.Baton, Record: o.Record, Tail: o.Tail, Log: o.Log, TimeJitter: o.TimeJitter,
		StepTime: o.StepTime, IdleFiringsMax: o.IdleFiringsMax}
}

// Aliases so that code above sim need not import the scheduler.
type (
	Verdict      = scheduler.Verdict
	Strategy     = scheduler.Strategy
	StrategyKind = scheduler.StrategyKind
	Baton        = scheduler.Baton
	TraceEvent   = scheduler.Event
	Jitter       = scheduler.Jitter
)

// Time perturbation modes for Options.TimeJitter.
const (
	JitterStrategy = scheduler.JitterStrategy
	JitterOn       = scheduler.JitterOn
	JitterOff      = scheduler.JitterOff
)

// Strategies for Options.Strategy.
var (
	// Portfolio lets the seed pick the concrete strategy (random walk or PCT at depth 1-3,
	// each at exact time or with the time perturbation), so that one number reproduces a
	// run. It is the zero Strategy.
	Portfolio = Strategy{Kind: scheduler.Portfolio}
	// Random is a uniform random walk over the runnable tasks at every decision.
	Random = Strategy{Kind: scheduler.Random}
	// Sequential never preempts: the non-preemptive schedule.
	Sequential = Strategy{Kind: scheduler.Sequential}
)

// PCTDepth is probabilistic concurrency testing for bugs of depth d (d-1 priority change
// points over an estimated step count).
func PCTDepth(d int) Strategy { return Strategy{Kind: scheduler.PCT, Depth: d} }

// Strategy kinds, for code that inspects Strategy.Kind.
const (
	PortfolioKind  = scheduler.Portfolio
	RandomKind     = scheduler.Random
	PCTKind        = scheduler.PCT
	ReplayKind     = scheduler.Replay
	SequentialKind = scheduler.Sequential
)

// ParseStrategy reads a strategy name (portfolio, random, sequential, pct, pctD), with
// an optional +jitter suffix that turns the time perturbation on.
func ParseStrategy(s string) (Strategy, error) { return scheduler.ParseStrategy(s) }

// Run runs body as the main task of a simulated run and returns the verdict. Everything
// body does through rt is scheduled by the seed; the same Options give the same verdict
// and trace hash.
func Run(opts Options, body func(rt *Runtime)) *Verdict {
	s := scheduler.New(opts.Scheduler())
	rt := &Runtime{s: s, faults: newFaultTable(opts.Faults), cover: &coverage{}, inject: newInjections(opts),
		params: opts.Params}
	v := s.Run(func() { body(rt) })
	// An escaped run was abandoned with its tasks still running: its coverage is not ours
	// to read.
	if opts.Coverage != nil && (v.Failure == nil || v.Failure.Kind != scheduler.FailEscape) {
		opts.Coverage.merge(rt.cover)
	}
	return v
}
