package simcli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
	"github.com/muxsim/muxsim/sim/internal/runfile"
	"github.com/muxsim/muxsim/sim/internal/shrink"
)

// replayRun runs a script and returns the verdict (with its decisions, and with the event
// log when log is set) and its faults. Shrinking's trials need neither log nor trace.
func (cfg *invocation) replayRun(sc *catalog.Scenario, s *runfile.Script, log bool) (*sim.Verdict, *sim.FaultLog) {
	o := cfg.options(sc.Name, s.Seed)
	o.Strategy = sim.Strategy{Kind: sim.ReplayKind, Decisions: s.Decisions, Jitter: s.Jitter}
	o.TimeJitter = sim.JitterStrategy // the script says
	o.SuppressFaults = s.Suppress
	o.Params = s.Params
	o.Record, o.Log = true, log
	o.FaultLog = &sim.FaultLog{}
	return sc.Run(o), o.FaultLog
}

// shrinkRun minimises a failing run: first the faults it injects (delta debugging over the
// fault numbers), then its preemptions (delta debugging over the decisions that deviate
// from the non-preemptive default, re-recording after each pass), keeping the failure.
func shrinkRun(cfg *invocation, stdout, stderr io.Writer) int {
	if len(cfg.scenarios) != 1 || runfile.Count(cfg.seeds) != 1 {
		cfg.errorf(stderr, "-shrink takes one scenario and one seed: -scenario NAME -seed N\n")
		return 2
	}
	sc, seed := cfg.scenarios[0], cfg.seeds[0].Lo
	o := cfg.options(sc.Name, seed)
	o.Record, o.Log, o.FaultLog = true, true, &sim.FaultLog{}
	v0 := sc.Run(o)
	if v0.OK() {
		cfg.errorf(stderr, "%s seed %d passes: nothing to shrink\n", sc.Name, seed)
		return 2
	}
	want := v0.Failure
	params := shrinkParams(cfg, sc, seed, want)
	o1 := cfg.options(sc.Name, seed)
	o1.Params, o1.Record = params, true
	v1 := sc.Run(o1)
	cur := &runfile.Script{Scenario: sc.Name, Seed: seed, Bug: cfg.bug, Params: params, Decisions: v1.Decisions, Jitter: v1.Strategy.Jitter}
	if v, _ := cfg.replayRun(sc, cur, false); !shrink.Same(v, want) {
		cfg.errorf(stderr, "the recorded decisions do not replay the failure (%v): cannot shrink\n", v.Failure)
		return 1
	}
	before := shrink.Measure(v0, o.FaultLog.Injected())
	cur = shrinkTime(cfg, sc, cur, want)
	cur = shrinkFaults(cfg, sc, cur, want, o.FaultLog)
	cur = shrinkPreemptions(cfg, sc, cur, want)
	v, fl := cfg.replayRun(sc, cur, true)
	if !shrink.Same(v, want) {
		cfg.errorf(stderr, "internal error: the shrunk run no longer fails\n")
		return 1
	}
	after := shrink.Measure(v, fl.Injected())
	fmt.Fprintf(stdout, "original: %s\nshrunk:   %s\nfailure:  %s\n", before, after, v.Failure)
	if len(params) > 0 {
		fmt.Fprintf(stdout, "params:   %v (defaults:%s)\n", params, defaults(sc))
	}
	cur.Hash = v.Hash
	path, err := saveScript(cfg, cur, fmt.Sprintf("shrunk from seed %d, %s", seed, v0.Strategy))
	if err != nil {
		cfg.errorf(stderr, "%v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "replay:   %s\n", cfg.replayOf(sc.Name, seed, "").fileCommand(path))
	return 1
}

// shrinkTime tries exact virtual time first (shrink.Time).
func shrinkTime(cfg *invocation, sc *catalog.Scenario, s *runfile.Script, want *scheduler.Failure) *runfile.Script {
	c := *s
	c.Decisions = shrink.Time(cfg.replayer(sc, s), s.Decisions, want)
	return &c
}

// replayer replays s with other decisions, for the shrinking phases.
func (cfg *invocation) replayer(sc *catalog.Scenario, s *runfile.Script) shrink.Replay {
	return func(decisions []int32) *sim.Verdict {
		c := *s
		c.Decisions = decisions
		v, _ := cfg.replayRun(sc, &c, false)
		return v
	}
}

// shrinkParams halves each workload size, down to its minimum, while the run with the
// original strategy and seed still fails the same way; it returns the sizes that differ
// from the defaults (or were given).
func shrinkParams(cfg *invocation, sc *catalog.Scenario, seed uint64, want *scheduler.Failure) sim.Params {
	params := cfg.params
	runs := 0
	for _, p := range sc.Params {
		cur := p.Default
		for _, q := range params {
			if q.Name == p.Name {
				cur = q.Value
			}
		}
		for cur > p.Min && runs < shrink.Budget {
			next := max(cur/2, p.Min)
			o := cfg.options(sc.Name, seed)
			o.Params = params.With(p.Name, next)
			runs++
			if !shrink.Same(sc.Run(o), want) {
				break
			}
			params, cur = o.Params, next
		}
	}
	return params
}

func shrinkFaults(cfg *invocation, sc *catalog.Scenario, s *runfile.Script, want *scheduler.Failure, fl *sim.FaultLog) *runfile.Script {
	all := make([]int, len(fl.Sites))
	for i := range all {
		all[i] = i + 1
	}
	with := func(keep []int) *runfile.Script {
		c := *s
		c.Suppress = slices.DeleteFunc(slices.Clone(all), func(n int) bool { return slices.Contains(keep, n) })
		return &c
	}
	fails := func(keep []int) bool {
		v, _ := cfg.replayRun(sc, with(keep), false)
		return shrink.Same(v, want)
	}
	if len(all) == 0 {
		return s
	}
	if fails(nil) {
		return with(nil)
	}
	return with(shrink.DDMin(all, fails, shrink.Budget))
}

// shrinkPreemptions removes the run's preemptions that the failure does not need
// (shrink.Preemptions).
func shrinkPreemptions(cfg *invocation, sc *catalog.Scenario, s *runfile.Script, want *scheduler.Failure) *runfile.Script {
	c := *s
	c.Decisions = shrink.Preemptions(cfg.replayer(sc, s), s.Decisions, want)
	return &c
}

func defaults(sc *catalog.Scenario) string {
	s := ""
	for _, p := range sc.Params {
		s += fmt.Sprintf(" %s=%d", p.Name, p.Default)
	}
	return s
}

// saveScript writes s to -out DIR (default: the current directory) as NAME-seedN.decisions.
func saveScript(cfg *invocation, s *runfile.Script, comment string) (string, error) {
	return saveScriptAs(cfg, s, fmt.Sprintf("%s-seed%d", s.Scenario, s.Seed), comment)
}

// saveScriptAs writes s to -out DIR (default: the current directory) as name.decisions.
func saveScriptAs(cfg *invocation, s *runfile.Script, name, comment string) (string, error) {
	dir := cfg.outDir
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name+".decisions")
	replay := cfg.replayOf(s.Scenario, s.Seed, "").fileCommand(path)
	return path, runfile.WriteFile(path, func(w io.Writer) error { return writeScript(w, s, comment, replay) })
}
