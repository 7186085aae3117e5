package simtest

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// The flags, read through go test ... -args. The sim. prefix keeps them apart from go
// test's own (-test.*) and from a user's flags.
var (
	seedsFlag    = flag.String("sim.seeds", "", "simtest: seed list to sweep, like 1-1000,4242 (default 1 to Options.Seeds)")
	seedFlag     = flag.String("sim.seed", "", "simtest: run this one seed (a replay); with -sim.trace, trace it")
	strategyFlag = flag.String("sim.strategy", "", "simtest: portfolio, random, sequential, pct or pctD (default Options.Strategy)")
	traceFlag    = flag.String("sim.trace", "", "simtest: write the trace of the first failing run, or of the -sim.seed run, to `file` (.html timeline, .json Chrome trace, else JSON lines)")
	outFlag      = flag.String("sim.out", "", "simtest: write a failure bundle (report, traces) for each failing seed under `dir`")
	replayFlag   = flag.String("sim.replay", "", "simtest: replay the decisions `file` of a failure bundle (its seed and schedule)")
	verboseFlag  = flag.Bool("sim.v", false, "simtest: log every seed's verdict line")
)

// settings are the flags' values as given, before they are checked. Check reads them from
// the flags; tests give their own.
type settings struct {
	seeds, seed, strategy, replay, trace, out string
	verbose                                   bool
}

func flagSettings() settings {
	return settings{seeds: *seedsFlag, seed: *seedFlag, strategy: *strategyFlag, replay: *replayFlag, trace: *traceFlag,
		out: *outFlag, verbose: *verboseFlag}
}

// plan is what one Check does: the options and flags resolved and checked.
type plan struct {
	opts     Options
	seeds    []runfile.Span
	single   bool   // -sim.seed or -sim.replay: one run, a replay
	script   string // -sim.replay: the decisions file
	wantHash uint64 // -sim.replay: the hash the file recorded (0: none)
	failures int    // failing seeds to report before the sweep stops
	trace    string
	out      string
	verbose  bool
}

// newPlan applies the flags over the options and fills in defaults. An error names the
// flag or field at fault.
func newPlan(opts Options, fl settings) (*plan, error) {
	p := &plan{opts: opts, failures: opts.Failures, trace: fl.trace, out: fl.out, verbose: fl.verbose}
	if p.failures <= 0 {
		p.failures = 1
	}
	if fl.replay != "" {
		return p.withScript(fl)
	}
	switch {
	case fl.seed != "" && fl.seeds != "":
		return nil, fmt.Errorf("-sim.seed=%s and -sim.seeds=%s: give one or the other", fl.seed, fl.seeds)
	case fl.seed != "":
		n, err := strconv.ParseUint(fl.seed, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("bad -sim.seed %q: want an unsigned integer", fl.seed)
		}
		p.seeds, p.single = []runfile.Span{{Lo: n, Hi: n}}, true
	case fl.seeds != "":
		spans, err := runfile.ParseSeeds(fl.seeds)
		if err != nil {
			return nil, fmt.Errorf("bad -sim.seeds: %v", err)
		}
		p.seeds = spans
	default:
		n := opts.Seeds
		if n <= 0 {
			n = DefaultSeeds
		}
		if n > runfile.SeedsMax {
			return nil, fmt.Errorf("simtest.Options.Seeds is %d, more than %d", n, runfile.SeedsMax)
		}
		p.seeds = []runfile.Span{{Lo: 1, Hi: uint64(n)}}
	}
	if fl.strategy != "" {
		st, err := sim.ParseStrategy(fl.strategy)
		if err != nil {
			return nil, fmt.Errorf("bad -sim.strategy: %v", err)
		}
		// A replay command names the concrete strategy (pct2); the options' step estimate,
		// which the name does not carry, still applies, so the replay is the same run.
		st.Steps = opts.Strategy.Steps
		p.opts.Strategy = st
	}
	return p, nil
}

// withScript makes p the replay of a decisions file, which gives both the seed and the
// schedule.
func (p *plan) withScript(fl settings) (*plan, error) {
	if fl.seed != "" || fl.seeds != "" || fl.strategy != "" {
		return nil, fmt.Errorf("-sim.replay gives the seed and the schedule: drop -sim.seed, -sim.seeds and -sim.strategy")
	}
	s, err := readScript(fl.replay)
	if err != nil {
		return nil, fmt.Errorf("bad -sim.replay: %v", err)
	}
	p.seeds, p.single, p.script, p.wantHash = []runfile.Span{{Lo: s.Seed, Hi: s.Seed}}, true, fl.replay, s.Hash
	p.opts.Strategy = replayStrategy(s)
	return p, nil
}
