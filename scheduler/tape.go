package scheduler

// Source supplies the decisions of a Tape run, one draw at a time. Draw returns a choice
// in [0, n), n >= 1; a value outside it is read as 0. Zero is always the default: no
// preemption, the first ready event, no fault, the smallest workload choice. A Source
// that minimises its draws towards zero (rapid's shrinker does) therefore minimises
// preemptions, faults and workload together.
//
// Draw is called from inside the run, by whichever task takes the decision, one call at a
// time; the Source must not block and must not call back into the run.
type Source interface {
	Draw(n int) int
}

// What a Tape run draws, and how each draw reads:
//
//   - a scheduling decision among n >= 2 candidates draws Draw(n): 0 keeps the running
//     task if it is a candidate, else takes the oldest (nonPreemptive); k > 0 takes the
//     k-th other candidate in task ID order;
//   - a choice among n >= 2 ready events draws Draw(n): the k-th ready one, in order;
//   - every random stream (Sched.Stream: workload, network, fault sites) draws from the
//     same Source, through Rand's tape mode (rand.go): IntN(n) is Draw(n), Happens(p) is
//     false on 0, and Uint64 turns a zero draw into a word that math/rand/v2's bounded
//     helpers (IntN below 2^32, Float64, Shuffle) read as their smallest value.
//
// Decisions with a single candidate draw nothing. All classes share one tape, so unlike
// the seeded streams a change in one class shifts the later draws of the others; a
// shrinker that re-runs the whole property copes with that.

// tapeChooser takes every decision from a Source.
type tapeChooser struct{ src Source }

func (*tapeChooser) spawned(*Task) {}
func (*tapeChooser) yielded(*Task) {}

//go:norace
func (c *tapeChooser) pick(cur *Task, cands []*Task) *Task {
	def := nonPreemptive(cur, cands)
	k := c.src.Draw(len(cands))
	if k <= 0 || k >= len(cands) {
		return def
	}
	for _, t := range cands {
		if t == def {
			continue
		}
		if k--; k == 0 {
			return t
		}
	}
	panic("scheduler: tape pick ran out of candidates")
}

//go:norace
func (c *tapeChooser) choose(n int) int {
	if k := c.src.Draw(n); k > 0 && k < n {
		return k
	}
	return 0
}

// ListSource replays a list of draws, as a Source: the n-th Draw returns Draws[n], or 0
// past the end or where the value does not fit. A tape recorded from one run replays it
// exactly; an empty list is a non-preemptive run with every fault off.
type ListSource struct {
	Draws []int
	at    int
}

// Draw returns the next draw of the list.
//
//go:norace
func (l *ListSource) Draw(n int) int {
	if l.at >= len(l.Draws) {
		return 0
	}
	k := l.Draws[l.at]
	l.at++
	if k < 0 || k >= n {
		return 0
	}
	return k
}

// Preemptions counts the preemptions in a run's event log (Options.Log): the decisions
// that switched away from a task that could have gone on running, because it had only
// reached a scheduling point (Point, Yield, Go) rather than blocked or exited.
func Preemptions(events []Event) int {
	var running TaskID
	stopped := true // running blocked or exited since it was chosen
	n := 0
	for _, e := range events {
		switch e.Kind {
		case EvRun:
			if e.Task != running && !stopped {
				n++
			}
			running, stopped = e.Task, false
		case EvBlock, EvExit:
			if e.Task == running {
				stopped = true
			}
		}
	}
	return n
}
