package trace

import (
	"slices"
	"strings"

	"github.com/muxsim/muxsim/scheduler"
)

// span is one stretch of steps in which a task held the CPU: the steps [From, To).
// First and Last are the indexes of the first and last event of the stretch.
type span struct {
	Task        scheduler.TaskID
	From, To    uint64
	First, Last int
}

// frame pairs the note of a frame sent with the note of the same frame received: indexes
// into the event slice.
type frame struct {
	Send, Recv int
}

// spans cuts a run into the stretches each task held the CPU. A task runs from an EvRun
// that chose it until the next EvRun that chose another task, its EvBlock, its EvExit or
// the end of the trace. A block or exit ends the stretch one step later than the step it is
// recorded at, because the task held the CPU for that whole decision; an EvRun of another
// task ends it at that EvRun's step, where the next stretch starts. So no two stretches
// overlap and every stretch is at least one step wide.
//
// The scheduler records no EvRun when an uncontended decision resumes the task that ran
// last, so a note, block or exit of a task that holds no stretch opens one at its step.
// The failure is not an end: a failing task goes on to record its exit as it unwinds.
func spans(evs []scheduler.Event) []span {
	var out []span
	open := -1 // index into out of the open stretch, or -1
	closeAt := func(to uint64) {
		if open >= 0 {
			out[open].To = max(to, out[open].From+1)
			open = -1
		}
	}
	for i, e := range evs {
		switch e.Kind {
		case scheduler.EvRun:
			if open >= 0 && out[open].Task == e.Task {
				out[open].Last = i
				continue
			}
			closeAt(e.Step)
		case scheduler.EvNote, scheduler.EvBlock, scheduler.EvExit:
			if e.Task == 0 {
				continue
			}
			if open >= 0 && out[open].Task == e.Task {
				out[open].Last = i
				if e.Kind != scheduler.EvNote {
					closeAt(e.Step + 1)
				}
				continue
			}
			closeAt(e.Step)
		default:
			continue
		}
		out = append(out, span{Task: e.Task, From: e.Step, First: i, Last: i})
		open = len(out) - 1
		if e.Kind == scheduler.EvBlock || e.Kind == scheduler.EvExit {
			closeAt(e.Step + 1)
		}
	}
	if open >= 0 && len(evs) > 0 {
		closeAt(evs[len(evs)-1].Step + 1)
	}
	return out
}

// frameNote splits a frame note of the RPC engine ("client send s3 m2 Message 4096 done")
// into the side that noted it, the direction, and the rest, which the same frame's note on
// the other side repeats. ok is false for any other note.
func frameNote(text string) (side, dir, rest string, ok bool) {
	f := strings.SplitN(text, " ", 3)
	if len(f) != 3 || (f[0] != "client" && f[0] != "server") || (f[1] != "send" && f[1] != "recv") {
		return "", "", "", false
	}
	if !strings.HasPrefix(f[2], "s") || !strings.Contains(f[2], " m") {
		return "", "", "", false
	}
	return f[0], f[1], f[2], true
}

// frames pairs every received frame with the oldest unmatched send of the same frame
// (stream, message, kind, length, done) by the other side. Frames lost in flight stay
// unpaired. The pairs are in the order of their receive notes.
func frames(evs []scheduler.Event) []frame {
	sent := make(map[string][]int) // "client s3 m2 Message 4096 done" -> send indexes, oldest first
	var out []frame
	for i, e := range evs {
		if e.Kind != scheduler.EvNote {
			continue
		}
		side, dir, rest, ok := frameNote(e.Text)
		if !ok {
			continue
		}
		if dir == "send" {
			key := side + " " + rest
			sent[key] = append(sent[key], i)
			continue
		}
		key := peer(side) + " " + rest
		if q := sent[key]; len(q) > 0 {
			out = append(out, frame{Send: q[0], Recv: i})
			sent[key] = q[1:]
		}
	}
	return out
}

func peer(side string) string {
	if side == "client" {
		return "server"
	}
	return "client"
}

// lanes returns the tasks that events are about, by ID, with 0 (the scheduler: timers
// and notes from timer callbacks) first when it has any.
func lanes(evs []scheduler.Event) []scheduler.TaskID {
	seen := make(map[scheduler.TaskID]bool)
	var out []scheduler.TaskID
	for _, e := range evs {
		if !seen[e.Task] {
			seen[e.Task] = true
			out = append(out, e.Task)
		}
	}
	slices.Sort(out)
	return out
}

// laneName names a lane: the task's name, or "scheduler" for task 0.
func laneName(v *scheduler.Verdict, id scheduler.TaskID) string {
	if id == 0 {
		return "scheduler"
	}
	if n := v.TaskName(id); n != "" {
		return n
	}
	return "?"
}
