package simcli

import (
	"fmt"
	"io"
	"time"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// result is one run's outcome as simrun reports it: the shared verdict line and JSON
// object (runfile.Result), and what a sweep keeps beside them.
type result struct {
	runfile.Result

	verdict *sim.Verdict
	wall    time.Duration // wall time of the run (both runs with -check-determinism)
	detail  string        // a report that replaces the verdict's, for failures simrun finds itself
}

func newResult(sc *catalog.Scenario, v *sim.Verdict) result {
	return result{Result: runfile.NewResult(sc.Name, v), verdict: v}
}

// line is the verdict line of DESIGN §9.
func (r result) line() string { return r.Line() }

func (r result) json(w io.Writer) {
	fmt.Fprintf(w, "%s\n", r.JSON())
}

// replay is the Replay of a run of this invocation.
func (cfg *invocation) replayOf(scenario string, seed uint64, strategy string) Replay {
	r := Replay{Package: cfg.prog.Package, Bug: cfg.bug, Scenario: scenario, Seed: seed, Strategy: strategy,
		Params: cfg.params, Baton: cfg.baton, MaxSteps: cfg.maxSteps, Watchdog: cfg.watchdog}
	if cfg.bug != "" && cfg.prog.Bugs != nil {
		r.Tags = cfg.prog.Bugs.Tags
	}
	return r
}

// replayCommand is the one line that reproduces the run.
func (r result) replayCommand(cfg *invocation) string {
	return cfg.replayOf(r.Scenario, r.Seed, r.Strategy).String()
}

// report prints a failure for a person: the verdict's report and the replay command.
func (r result) report(w io.Writer, cfg *invocation) {
	report := r.detail
	if report == "" {
		report = r.verdict.Report()
	}
	if r.detail == "" {
		// The verdict's report opens with the seed and strategy: one header line, not two.
		fmt.Fprintf(w, "--- FAIL %s %s", r.Scenario, report)
	} else {
		fmt.Fprintf(w, "--- FAIL %s seed=%d strategy=%s\n%s", r.Scenario, r.Seed, r.Strategy, report)
	}
	cmd := r.replayCommand(cfg)
	if r.Kind == "nondeterministic" {
		cmd += " -check-determinism" // the command alone runs the seed once
	}
	fmt.Fprintf(w, "replay: %s\n", cmd)
}
