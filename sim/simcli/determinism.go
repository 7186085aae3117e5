package simcli

import (
	"fmt"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// divergenceContext is how many events around the first difference a report shows.
const divergenceContext = 6

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
		r.detail = r.Failure + "\n" + divergence(first, again, k)
		break
	}
	// The logs are only for the comparison: a sweep holds its results until they print.
	first.Events = nil
	return r
}

// divergence describes where run k's event log first differs from run 1's.
func divergence(a, b *sim.Verdict, k int) string {
	n := min(len(a.Events), len(b.Events))
	at := n
	for i := range n {
		ea, eb := a.Events[i], b.Events[i]
		ea.Seq, eb.Seq = 0, 0
		if ea != eb {
			at = i
			break
		}
	}
	if at == n && len(a.Events) == len(b.Events) {
		return fmt.Sprintf("run %d of %d logged the same events as run 1 but hashed %016x, run 1 %016x", k, determinismRuns, b.Hash, a.Hash)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "run %d of %d differs from run 1 at step %d (event %d)\n", k, determinismRuns, stepAt(b, at), at+1)
	for _, run := range []struct {
		name string
		v    *sim.Verdict
	}{{"run 1", a}, {fmt.Sprintf("run %d", k), b}} {
		fmt.Fprintf(&sb, "%s:\n", run.name)
		lo, hi := max(at-divergenceContext, 0), min(at+divergenceContext, len(run.v.Events))
		for i := lo; i < hi; i++ {
			mark := "  "
			if i == at {
				mark = "> "
			}
			fmt.Fprintf(&sb, "%s%s\n", mark, run.v.Describe(run.v.Events[i]))
		}
	}
	return sb.String()
}

func stepAt(v *sim.Verdict, i int) uint64 {
	if i < len(v.Events) {
		return v.Events[i].Step
	}
	return v.Steps
}
