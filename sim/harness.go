package sim

import "muxsim/scheduler"

// Options configure a simulated run: the scheduler's options (seed, strategy, limits,
// baton, recording) plus the fault profile and coverage collection.
type Options struct {
	scheduler.Options
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

// Aliases so that code above sim need not import the scheduler.
type (
	Verdict    = scheduler.Verdict
	Strategy   = scheduler.Strategy
	TraceEvent = scheduler.Event
)

// Strategy kinds, re-exported.
const (
	Portfolio  = scheduler.Portfolio
	Random     = scheduler.Random
	PCT        = scheduler.PCT
	Replay     = scheduler.Replay
	Sequential = scheduler.Sequential
)

// ParseStrategy reads a strategy name (portfolio, random, sequential, pct, pctD).
func ParseStrategy(s string) (Strategy, error) { return scheduler.ParseStrategy(s) }

// Run runs body as the main task of a simulated run and returns the verdict. Everything
// body does through rt is scheduled by the seed; the same Options give the same verdict
// and trace hash.
func Run(opts Options, body func(rt *Runtime)) *Verdict {
	s := scheduler.New(opts.Options)
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
