package gort

import (
	"fmt"
	"io"
	"strings"

	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// determinismRuns is how many times -check-determinism runs each (test, seed) in all.
const determinismRuns = 2

// runOne runs one (test, seed), twice with -check-determinism: every rerun is compared
// with the first run, the reference, and a different hash fails the result.
func (c *config) runOne(tc Test, seed uint64) Result {
	opts := c.options(seed)
	if !c.checkDeterminism {
		return RunTest(opts, tc)
	}
	// Every run keeps its event log, so that a difference is reported from the very runs
	// that differed.
	opts.Log = true
	r := RunTest(opts, tc)
	if c.trace == "" {
		defer func() { r.Verdict.Events = nil }() // the log is only for the comparison
	}
	for k := 2; k <= determinismRuns; k++ {
		again := RunTest(opts, tc)
		if again.Verdict.Hash == r.Verdict.Hash {
			continue
		}
		first := r.Line()
		r.Failure = fmt.Sprintf("run %d of %d gave hash %016x, run 1 %016x", k, determinismRuns, again.Verdict.Hash, r.Verdict.Hash)
		r.Detail = fmt.Sprintf("  run 1: %s\n  run %d: %s\n%s", first, k, again.Line(),
			runfile.Divergence(r.Verdict, again.Verdict, k, determinismRuns))
		r.OK, r.Kind = false, "nondeterministic"
		break
	}
	return r
}

// print writes the run's verdict line (its JSON object with -json) and, with -v, its log
// lines (on stderr under -json, so that standard output stays JSON lines).
func (c *config) print(stdout, stderr io.Writer, r Result) {
	logTo := stdout
	if c.json {
		fmt.Fprintf(stdout, "%s\n", r.Shared().JSON())
		logTo = stderr
	} else {
		fmt.Fprintln(stdout, r.Line())
	}
	if c.verbose {
		for _, l := range r.T.logs {
			fmt.Fprintf(logTo, "    %s\n", l)
		}
	}
}

// report prints a failure for a person: a header, the verdict's report (or the failure
// Main found itself), the command that replays the run and the bundle written for it.
// bundle is the path of the run's failure bundle, "" when none was written.
func (c *config) report(w io.Writer, r Result, bundle string) {
	report := r.Detail
	if report == "" {
		report = r.Verdict.Report()
	}
	fmt.Fprintf(w, "--- %s seed=%d: %s\n%s", r.Test, r.Verdict.Seed, r.Failure, report)
	if c.replayCmd != "" {
		fmt.Fprintf(w, "replay: %s\n", c.replayCommand(r))
	}
	if bundle != "" {
		fmt.Fprintf(w, "bundle: %s\n", bundle)
	}
}

// defaultMaxSteps and defaultWatchdog are the flags' defaults, which a replay command
// leaves out.
const (
	defaultMaxSteps = 1_000_000
	defaultWatchdog = "5s"
)

// replayCommand is the one line that reproduces the run: -replay-cmd, the test anchored,
// the seed, the concrete strategy the verdict line prints, and the limits that are not
// the defaults.
func (c *config) replayCommand(r Result) string {
	args := []string{c.replayCmd, "-run", ShellQuote("^" + r.Test + "$"), "-seeds", fmt.Sprint(r.Verdict.Seed),
		"-strategy", ShellQuote(r.Verdict.Strategy.String())}
	args = append(args, c.limitFlags()...)
	if r.Kind == "nondeterministic" {
		args = append(args, "-check-determinism") // the command alone runs the seed once
	}
	return strings.Join(args, " ")
}

// limitFlags are the step limit, watchdog and step time flags when they are not the
// defaults.
func (c *config) limitFlags() []string {
	var args []string
	if c.maxSteps != defaultMaxSteps {
		args = append(args, "-max-steps", fmt.Sprint(c.maxSteps))
	}
	if c.watchdog.String() != defaultWatchdog {
		args = append(args, "-watchdog", c.watchdog.String())
	}
	if c.stepTime != StepTime {
		args = append(args, "-step-time", c.stepTime.String())
	}
	return args
}

// ShellQuote quotes s for a POSIX shell when it needs it: in single quotes, each single
// quote written as quote, backslash, quote, quote (close, escaped quote, reopen).
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
