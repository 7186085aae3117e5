package main

import (
	"fmt"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// divergenceContext is how many events around the first difference a report shows.
const divergenceContext = 6

// checkDeterminism runs the job a second time and compares the trace hashes. On a
// difference it reruns both with the event log on and reports the first event at which
// they differ, with the events around it from each run.
func checkDeterminism(cfg *config, j job, first result) result {
	again := j.sc.Run(cfg.options(j.sc.Name, j.seed))
	if again.Hash == first.verdict.Hash {
		return first
	}
	r := first
	r.OK, r.Kind = false, "nondeterministic"
	r.Failure = fmt.Sprintf("the same seed gave hashes %016x and %016x", first.verdict.Hash, again.Hash)
	o := cfg.options(j.sc.Name, j.seed)
	o.Log = true
	a, b := j.sc.Run(o), j.sc.Run(o)
	r.detail = r.Failure + "\n" + divergence(a, b)
	return r
}

// divergence describes where two event logs first differ.
func divergence(a, b *sim.Verdict) string {
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
		return fmt.Sprintf("the logged reruns agree (hash %016x and %016x): the difference comes and goes", a.Hash, b.Hash)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "first difference at event %d (step %d)\n", at+1, stepAt(a, at))
	for _, run := range []struct {
		name string
		v    *sim.Verdict
	}{{"first run", a}, {"second run", b}} {
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
