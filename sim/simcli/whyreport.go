package simcli

import (
	"fmt"
	"io"
	"strings"

	"github.com/muxsim/muxsim/scheduler"
)

// The -why report: the table of P(fail) by prefix, the verdict, the decisions around the
// jump and the file's events around its step.

const (
	whyStepsAround   = 3  // the events of this many steps either side of the jump's
	whyEventsMax     = 30 // at most this many event lines
	whyEventsBefore  = 12 // of which at most this many before the jump's step
	whyDecisionsPre  = 3  // the decisions listed before the jump's
	whyDecisionsPost = 2  // and after it
)

// printTable prints one row per measured prefix, marking the jump hi and the first prefix
// from which the failure is inevitable.
func (e *explainer) printTable(w io.Writer, hi int) {
	sealed := e.sealed()
	fmt.Fprintf(w, "%8s %8s %8s %9s\n", "k", "step", "P(fail)", "n/N")
	for _, p := range e.sorted() {
		var marks []string
		if p.k == hi {
			marks = append(marks, "jump")
		}
		if p.k == sealed {
			marks = append(marks, "inevitable from here")
		}
		mark := ""
		if len(marks) > 0 {
			mark = "  <- " + strings.Join(marks, ", ")
		}
		fmt.Fprintf(w, "%8d %8d %8.2f %9s%s\n", p.k, p.step, p.rate(), fmt.Sprintf("%d/%d", p.fails, p.runs), mark)
	}
}

// sealed is the first measured prefix from which every measured prefix fails at whyHigh.
func (e *explainer) sealed() int {
	ps := e.sorted()
	k := len(e.script.Decisions)
	for i := len(ps) - 1; i >= 0 && ps[i].high(); i-- {
		k = ps[i].k
	}
	return k
}

// printVerdict says where the failure became likely and where inevitable, which decision
// made it so, and what happened around it.
func (e *explainer) printVerdict(w io.Writer, lo, hi int) {
	if lo < 0 {
		p := e.points[0]
		fmt.Fprintf(w, "verdict: no decision of this run is needed: %d/%d random walks from the start fail the same way.\n",
			p.fails, p.runs)
		return
	}
	pl, ph := e.points[lo], e.points[hi]
	step := e.ref.DecisionSteps[hi-1]
	fmt.Fprintf(w, "verdict: the failure became likely at step %d: with %d decisions replayed the run fails in %d/%d "+
		"continuations, with %d in %d/%d; the decision that tipped it is %s.",
		step, lo, pl.fails, pl.runs, hi, ph.fails, ph.runs, e.describeDecision(hi-1))
	if sealed := e.points[e.sealed()]; sealed != nil {
		fmt.Fprintf(w, " From %d decisions (step %d) on, every measured prefix fails in at least %d%% of its continuations: the failure is inevitable there.",
			sealed.k, sealed.step, int(whyHigh*100))
	}
	if ph.rate()-pl.rate() < whyLow-0.2 {
		fmt.Fprintf(w, " The rise is gradual (from %.2f to %.2f at the jump): no single decision decides the failure.",
			pl.rate(), ph.rate())
	}
	fmt.Fprintf(w, "\n\ndecisions around the jump:\n")
	for i := max(0, hi-1-whyDecisionsPre); i < min(len(e.ref.Decisions), hi+whyDecisionsPost); i++ {
		mark := " "
		if i == hi-1 {
			mark = ">"
		}
		fmt.Fprintf(w, "%s %s\n", mark, e.describeDecision(i))
	}
	fmt.Fprintf(w, "\nevents around step %d:\n", step)
	for _, l := range e.eventsAround(step) {
		fmt.Fprintln(w, l)
	}
}

// describeDecision says what decision i (from 0) of the reference run was: which task it
// ran, over which, and what that task did in the step; or which ready event or time draw
// it took.
func (e *explainer) describeDecision(i int) string {
	v := e.ref
	d, step := v.Decisions[i], v.DecisionSteps[i]
	head := fmt.Sprintf("decision %d (step %d, recorded %d)", i+1, step, d)
	if d < 0 {
		return head + fmt.Sprintf(": a time-perturbation draw of %d (0 is exact time)", -d)
	}
	run, prev, ok := e.pickAt(i)
	if !ok {
		return head + fmt.Sprintf(": a choice among ready events, the one at index %d", d)
	}
	how := "the default"
	switch {
	case d > 0 && prev != 0 && prev != run.Task:
		how = "a preemption"
	case d > 0:
		how = "not the default"
	}
	s := fmt.Sprintf("%s: %s, %s runs (of %d candidates)", head, how, e.task(run.Task), run.Arg)
	if prev != 0 && prev != run.Task {
		s += ", not " + e.task(prev)
	}
	if acts := e.actions(run.Task, step); len(acts) > 0 {
		s += ", and " + strings.Join(acts, ", ")
	}
	return s
}

// pickAt finds the run event of decision i if it is a scheduling decision (the first
// decision recorded at its step, with a run event of two or more candidates), and the
// task it switched away from while that task could still run (0 if it had blocked or
// exited, or none).
func (e *explainer) pickAt(i int) (run scheduler.Event, prev scheduler.TaskID, ok bool) {
	v := e.ref
	step := v.DecisionSteps[i]
	if i > 0 && v.DecisionSteps[i-1] == step {
		return run, 0, false
	}
	for _, ev := range v.Events {
		if ev.Step > step {
			break
		}
		switch {
		case ev.Kind == scheduler.EvRun && ev.Step == step && ev.Arg > 1:
			return ev, prev, true
		case ev.Kind == scheduler.EvRun:
			prev = ev.Task
		case (ev.Kind == scheduler.EvBlock || ev.Kind == scheduler.EvExit) && ev.Task == prev:
			prev = 0
		}
	}
	return run, 0, false
}

func (e *explainer) task(id scheduler.TaskID) string {
	return fmt.Sprintf("task %d %q", id, e.ref.TaskName(id))
}

// actions lists what task id did in step: the mutexes it took and released, and how the
// step ended for it (a block, an exit), with the notes it logged.
func (e *explainer) actions(id scheduler.TaskID, step uint64) []string {
	var out []string
	for _, h := range e.ref.Holds {
		if h.Task == id && h.Step == step {
			verb := "releases "
			if h.Acquire {
				verb = "takes "
			}
			out = append(out, verb+h.Label)
		}
	}
	for _, ev := range e.ref.Events {
		if ev.Task != id || ev.Step != step {
			continue
		}
		switch ev.Kind {
		case scheduler.EvBlock:
			what, ok := e.ref.Objects[ev.Arg]
			if !ok {
				what = fmt.Sprintf("object #%d", ev.Arg)
			}
			out = append(out, "blocks on "+what)
		case scheduler.EvExit:
			out = append(out, "exits")
		case scheduler.EvNote:
			out = append(out, ev.Text)
		}
	}
	return out
}

// eventsAround renders the reference run's events (and mutex holds) within
// whyStepsAround steps of step, marking those of step itself, at most whyEventsMax lines.
func (e *explainer) eventsAround(step uint64) []string {
	v := e.ref
	lo, hi := step-min(step, whyStepsAround), step+whyStepsAround
	var lines []string
	first := -1
	holds := v.Holds
	for _, ev := range v.Events {
		if ev.Step > hi {
			break
		}
		inside := ev.Step >= lo
		mark := "  "
		if ev.Step == step {
			mark = "> "
			if first < 0 && inside {
				first = len(lines)
			}
		}
		if inside {
			lines = append(lines, mark+v.Describe(ev))
		}
		for len(holds) > 0 && holds[0].After <= ev.Seq {
			h := holds[0]
			holds = holds[1:]
			if inside && h.After == ev.Seq {
				verb := "releases"
				if h.Acquire {
					verb = "takes"
				}
				lines = append(lines, fmt.Sprintf("%s   step=%d t=%v %s %s %s", mark, h.Step, h.Time, e.task(h.Task), verb, h.Label))
			}
		}
	}
	if first < 0 {
		first = 0
	}
	start := max(0, first-whyEventsBefore)
	return lines[start:min(len(lines), start+whyEventsMax)]
}
