package simcli

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
)

// result is one run's outcome as simrun reports it.
type result struct {
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	Strategy string `json:"strategy"`
	OK       bool   `json:"ok"`
	Steps    uint64 `json:"steps"`
	VTimeNS  int64  `json:"vtime_ns"`
	Hash     string `json:"hash"`
	Failure  string `json:"failure,omitempty"`
	Kind     string `json:"failure_kind,omitempty"`

	verdict *sim.Verdict
	wall    time.Duration // wall time of the run (both runs with -check-determinism)
	detail  string        // a report that replaces the verdict's, for failures simrun finds itself
}

func newResult(sc *catalog.Scenario, v *sim.Verdict) result {
	r := result{
		Scenario: sc.Name, Seed: v.Seed, Strategy: v.Strategy.String(), OK: v.OK(),
		Steps: v.Steps, VTimeNS: int64(v.Time), Hash: fmt.Sprintf("%016x", v.Hash), verdict: v,
	}
	if f := v.Failure; f != nil {
		r.Failure, r.Kind = f.String(), f.Kind.String()
	}
	return r
}

// line is the verdict line of DESIGN §9.
func (r result) line() string {
	s := fmt.Sprintf("scenario=%s seed=%d strategy=%s ok=%t steps=%d vtime=%v hash=%s",
		r.Scenario, r.Seed, r.Strategy, r.OK, r.Steps, r.verdict.Time, r.Hash)
	if !r.OK {
		s += " failure=" + r.Kind
	}
	return s
}

func (r result) json(w io.Writer) {
	b, _ := json.Marshal(r)
	fmt.Fprintf(w, "%s\n", b)
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
