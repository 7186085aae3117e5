// Package shrink minimises a failing run's decisions, for both simrun front ends
// (sim/simcli for scenarios, sim/gort for translated tests): exact virtual time first,
// then delta debugging over the preemptions, keeping the same failure.
package shrink

import (
	"fmt"
	"slices"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// Budget bounds the runs one shrinking phase may spend.
const Budget = 3000

// Replay runs a run again with these decisions (its time-perturbation draws among them,
// as recorded) and returns the verdict, with the decisions it took recorded.
type Replay func(decisions []int32) *sim.Verdict

// Same reports whether v fails the way want did: the same kind, at the same place in
// the code when the failure has one.
func Same(v *sim.Verdict, want *scheduler.Failure) bool {
	return v.Failure != nil && v.Failure.Kind == want.Kind && v.Failure.At == want.At
}

// Time tries exact virtual time: every time-perturbation draw (a negative decision) set
// to 0, which is the unperturbed run. It returns the decisions of that run if it still
// fails as want did, else decisions.
func Time(run Replay, decisions []int32, want *scheduler.Failure) []int32 {
	exact := slices.Clone(decisions)
	changed := false
	for i, d := range exact {
		if d < 0 {
			exact[i], changed = 0, true
		}
	}
	if !changed {
		return decisions
	}
	if v := run(exact); Same(v, want) {
		return v.Decisions
	}
	return decisions
}

// Preemptions removes preemptions (decisions that differ from the non-preemptive
// default, recorded as non-zero) by delta debugging while the run still fails as want
// did, re-recording after each pass and going again while a pass helps. It returns the
// last recording, its trailing defaults trimmed.
func Preemptions(run Replay, decisions []int32, want *scheduler.Failure) []int32 {
	for range 5 {
		var at []int
		for i, d := range decisions {
			if d != 0 {
				at = append(at, i)
			}
		}
		with := func(keep []int) []int32 {
			c := make([]int32, len(decisions))
			for _, i := range keep {
				c[i] = decisions[i]
			}
			return c
		}
		fails := func(keep []int) bool { return Same(run(with(keep)), want) }
		keep := at
		if len(at) > 0 && fails(nil) {
			keep = nil
		} else if len(at) > 0 {
			keep = DDMin(at, fails, Budget)
		}
		// Re-record: the run's own decisions, with what now defaults written as 0.
		next := runfile.TrimZeros(run(with(keep)).Decisions)
		if len(keep) == len(at) {
			return next
		}
		decisions = next
	}
	return decisions
}

// Shape is what shrinking reduces in a run.
type Shape struct {
	Steps, Switches, Preemptions, Faults, Perturbed int
}

func (s Shape) String() string {
	return fmt.Sprintf("%d steps, %d context switches, %d preemptions, %d injected faults, %d perturbed timer draws",
		s.Steps, s.Switches, s.Preemptions, s.Faults, s.Perturbed)
}

// Measure is the shape of a run recorded with its decisions and events, which injected
// faults faults.
func Measure(v *sim.Verdict, faults int) Shape {
	sh := Shape{Steps: int(v.Steps), Faults: faults}
	for _, d := range v.Decisions {
		switch {
		case d > 0:
			sh.Preemptions++
		case d < 0:
			sh.Perturbed++
		}
	}
	var running scheduler.TaskID
	for _, e := range v.Events {
		if e.Kind == scheduler.EvRun && e.Task != running {
			if running != 0 {
				sh.Switches++
			}
			running = e.Task
		}
	}
	return sh
}
