package simcli

import (
	"fmt"

	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// determinismRuns is how many times -check-determinism runs each seed in all.
const determinismRuns = 2

// checkDeterminism runs the job again, determinismRuns-1 times, and compares each rerun
// with the first run: every run is a rerun of the first, so the first is the reference
// (comparing two reruns with each other would miss a first run that differs from both).
// Every run keeps its event log, so that a difference is reported from the very runs
// that differed: the first differing event, with the events around it from both.
func checkDeterminism(cfg *invocation, j job) result {
	o := cfg.options(j.sc.Name, j.seed)
	o.Log = true
	first := j.sc.Run(o)
	r := newResult(j.sc, first)
	for k := 2; k <= determinismRuns; k++ {
		again := j.sc.Run(o)
		if again.Hash == first.Hash {
			continue
		}
		r.OK, r.Kind = false, "nondeterministic"
		r.Failure = fmt.Sprintf("run %d of %d gave hash %016x, run 1 %016x", k, determinismRuns, again.Hash, first.Hash)
		r.detail = r.Failure + "\n" + runfile.Divergence(first, again, k, determinismRuns)
		break
	}
	// The logs are only for the comparison: a sweep holds its results until they print.
	first.Events = nil
	return r
}
