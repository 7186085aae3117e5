package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/muxsim/muxsim/scenarios"
	"github.com/muxsim/muxsim/sim"
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

func newResult(sc *scenarios.Scenario, v *sim.Verdict) result {
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

// goRun is how a replay command starts: with the muxbugs tag when a bug is on.
func goRun(bug string) string {
	if bug != "" {
		return "go run -tags muxbugs ./cmd/simrun"
	}
	return "go run ./cmd/simrun"
}

// replayCommand is the one line that reproduces the run.
func (r result) replayCommand(cfg *config) string {
	args := []string{goRun(cfg.bug)}
	if cfg.bug != "" {
		args = append(args, "-bug", cfg.bug)
	}
	args = append(args, "-scenario", r.Scenario, "-seed", fmt.Sprint(r.Seed), "-strategy", r.Strategy)
	if len(cfg.params) > 0 {
		args = append(args, "-param", cfg.params.String())
	}
	if cfg.baton != "" {
		args = append(args, "-baton", cfg.baton)
	}
	return strings.Join(args, " ")
}

// report prints a failure for a person: the verdict's report and the replay command.
func (r result) report(w io.Writer, cfg *config) {
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
	fmt.Fprintf(w, "replay: %s\n", r.replayCommand(cfg))
}
