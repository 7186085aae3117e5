package runfile

import (
	"fmt"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// divergenceContext is how many events around the first difference Divergence shows.
const divergenceContext = 6

// Divergence describes where run k's event log (of runs in all) first differs from run
// 1's: the step and event, and the events around it from both runs. Both runs must have
// had Options.Log set.
func Divergence(a, b *sim.Verdict, k, runs int) string {
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
		return fmt.Sprintf("run %d of %d logged the same events as run 1 but hashed %016x, run 1 %016x", k, runs, b.Hash, a.Hash)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "run %d of %d differs from run 1 at step %d (event %d)\n", k, runs, stepAt(b, at), at+1)
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
