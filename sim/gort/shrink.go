package gort

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
	"github.com/muxsim/muxsim/sim/internal/shrink"
)

// shrinkRun minimises the failing run of one test and seed (-shrink), keeping the same
// failure (kind and place): exact virtual time first, then delta debugging over its
// preemptions (package sim/internal/shrink, as simrun -shrink does for scenarios). It
// prints the run's shape before and after, saves the smaller run as TEST-seedN.decisions
// under -out (default the current directory) and prints the command that replays it.
// It returns 1 (the run fails), or 2 when the run passes.
func (c *config) shrinkRun(tc Test, seed uint64, stdout, stderr io.Writer) int {
	o := c.options(seed)
	o.Record, o.Log = true, true
	r0 := RunTest(o, tc)
	if r0.OK {
		fmt.Fprintf(stderr, "gort: -shrink: %s seed %d passes: nothing to shrink\n", tc.Name, seed)
		return 2
	}
	want, jitter := r0.Verdict.Failure, r0.Verdict.Strategy.Jitter
	run := func(decisions []int32) *sim.Verdict {
		o := c.options(seed)
		o.Strategy = sim.Strategy{Kind: sim.ReplayKind, Decisions: decisions, Jitter: jitter}
		o.Record = true
		return RunTest(o, tc).Verdict
	}
	if !shrink.Same(run(r0.Verdict.Decisions), want) {
		fmt.Fprintf(stderr, "gort: -shrink: the recorded decisions do not replay the failure (%v): cannot shrink\n", want)
		return 1
	}
	d := shrink.Time(run, r0.Verdict.Decisions, want)
	d = shrink.Preemptions(run, d, want)
	o = c.options(seed)
	o.Strategy = sim.Strategy{Kind: sim.ReplayKind, Decisions: d, Jitter: jitter}
	o.Record, o.Log = true, true
	v := RunTest(o, tc).Verdict
	if !shrink.Same(v, want) {
		fmt.Fprintf(stderr, "gort: -shrink: internal error: the shrunk run no longer fails\n")
		return 1
	}
	fmt.Fprintf(stdout, "original: %s\nshrunk:   %s\nfailure:  %s\n", shrink.Measure(r0.Verdict, 0), shrink.Measure(v, 0), v.Failure)
	dir := c.outDir
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "gort: -shrink: %v\n", err)
		return 1
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-seed%d.decisions", tc.Name, seed))
	s := &runfile.Script{Scenario: tc.Name, Seed: seed, Jitter: jitter, Decisions: runfile.TrimZeros(v.Decisions), Hash: v.Hash}
	comment := fmt.Sprintf("muxsim decisions (shrunk from seed %d, %s); replay: %s", seed, r0.Verdict.Strategy, c.fileCommand(path))
	if err := runfile.WriteFile(path, func(w io.Writer) error { return s.Write(w, comment) }); err != nil {
		fmt.Fprintf(stderr, "gort: -shrink: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "replay:   %s\n", c.fileCommand(path))
	return 1
}
