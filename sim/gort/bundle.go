package gort

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// bundlesMax bounds the failure bundles one test writes in one invocation.
const bundlesMax = 20

// options are the simulator options of one run of the sweep.
func (c *config) options(seed uint64) sim.Options {
	return sim.Options{Seed: seed, Strategy: c.strategy, MaxSteps: c.maxSteps, Watchdog: c.watchdog,
		StepTime: c.stepTime, IdleFiringsMax: IdleFiringsMax, Log: c.trace != ""}
}

// writeBundle reruns a failed run with its decisions and events recorded and writes,
// under -out, TEST-seedN.txt (the run's identity, the failure, every task, the last
// events, the replay commands), TEST-seedN.decisions (for -replay) and the traces
// TEST-seedN.html and TEST-seedN.jsonl. It returns the text file's path.
func (c *config) writeBundle(tc Test, r Result) (string, error) {
	seed := r.Verdict.Seed
	o := c.options(seed)
	o.Record, o.Log = true, true
	again := RunTest(o, tc)
	v := again.Verdict
	base := filepath.Join(c.outDir, fmt.Sprintf("%s-seed%d", tc.Name, seed))
	s := &runfile.Script{Scenario: tc.Name, Seed: seed, Jitter: v.Strategy.Jitter, Decisions: runfile.TrimZeros(v.Decisions), Hash: v.Hash}
	fileCmd := c.fileCommand(base + ".decisions")
	text := func(w io.Writer) error {
		var b strings.Builder
		fmt.Fprintf(&b, "muxsim failure bundle (simrun test)\n\n")
		fmt.Fprintf(&b, "test:      %s\nseed:      %d\nstrategy:  %s (asked for %s)\n", tc.Name, seed, v.Strategy, c.strategy)
		fmt.Fprintf(&b, "verdict:   steps=%d vtime=%v hash=%016x failure=%s\n", v.Steps, v.Time, v.Hash, r.Kind)
		fmt.Fprintf(&b, "replay:    %s\n           %s\n\n", c.replayCommand(r), fileCmd)
		if v.Hash != r.Verdict.Hash {
			fmt.Fprintf(&b, "WARNING: rerunning for this bundle gave hash %016x, the sweep saw %016x: the run is not reproducible\n\n", v.Hash, r.Verdict.Hash)
		}
		fmt.Fprintf(&b, "%s\n", r.Failure)
		if r.Detail != "" {
			b.WriteString(r.Detail)
		}
		b.WriteString(v.Report())
		_, err := io.WriteString(w, b.String())
		return err
	}
	decisions := func(w io.Writer) error {
		return s.Write(w, fmt.Sprintf("muxsim decisions (failure bundle of %s); replay: %s", v.Strategy, fileCmd))
	}
	return runfile.WriteBundle(base, v, text, decisions)
}

// fileCommand is the command that replays a decision file with the run's limits.
func (c *config) fileCommand(path string) string {
	return strings.Join(append([]string{c.replayCmd, "-replay", ShellQuote(path)}, c.limitFlags()...), " ")
}

// replayFile runs the decision file of -replay once: the test it names, its seed, its
// decisions. It prints the verdict line, and the report if the run fails; a run whose
// hash is not the file's (the code changed since the file was written) fails too.
func (c *config) replayFile(tests []Test, path string, stdout, stderr io.Writer) int {
	s, err := runfile.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "gort: -replay: %v\n", err)
		return 2
	}
	var tc *Test
	for i := range tests {
		if tests[i].Name == s.Scenario {
			tc = &tests[i]
		}
	}
	if tc == nil {
		fmt.Fprintf(stderr, "gort: -replay: %s names test %q, which the package does not have\n", path, s.Scenario)
		return 2
	}
	o := c.options(s.Seed)
	o.Strategy = sim.Strategy{Kind: sim.ReplayKind, Decisions: s.Decisions, Jitter: s.Jitter}
	o.Record, o.Log = true, c.trace != ""
	r := RunTest(o, *tc)
	c.print(stdout, stderr, r)
	if c.trace != "" {
		if err := runfile.WriteTrace(c.trace, r.Verdict); err != nil {
			fmt.Fprintf(stderr, "gort: -trace: %v\n", err)
			return 1
		}
	}
	if s.Hash != 0 && r.Verdict.Hash != s.Hash {
		fmt.Fprintf(stderr, "gort: -replay: %s no longer replays the run it recorded (hash now %016x, the file's %016x): the code under test changed since the file was written\n",
			path, r.Verdict.Hash, s.Hash)
		return 1
	}
	if !r.OK {
		fmt.Fprintf(stderr, "--- %s (replay of %s): %s\n%s", tc.Name, path, r.Failure, r.Verdict.Report())
		return 1
	}
	return 0
}
