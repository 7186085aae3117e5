package scheduler

import (
	"fmt"
	"time"
)

// EventKind says what an Event records.
type EventKind uint8

// The kinds of event. Their numeric values feed the trace hash: never reorder them.
const (
	EvSpawn EventKind = iota + 1 // Task was spawned by the task in Arg.
	EvRun                        // a decision chose Task among Arg candidates
	EvBlock                      // Task blocked on the object whose ID is Arg
	EvExit                       // Task returned
	EvTimer                      // the timer whose ID is Arg fired
	EvNote                       // an application event (a frame, a fault) with Text
	EvFail                       // the run failed; Text is the message
)

var eventNames = [...]string{"?", "spawn", "run", "block", "exit", "timer", "note", "fail"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("kind%d", k)
}

// Event is one numbered entry of a run's trace. Step is the number of scheduling decisions
// taken before it; Time is virtual time since the epoch. Events hold IDs, never pointers
// or wall-clock times, so that they can be hashed and compared across runs and machines.
type Event struct {
	Seq  uint64        // position in the run's event sequence, from 1
	Step uint64        // scheduling decisions taken so far
	Time time.Duration // virtual time since Epoch
	Kind EventKind
	Task TaskID // the task the event is about (0 for the scheduler itself)
	Arg  int64  // kind-specific: candidates, object ID, parent task, timer ID
	Text string // EvNote and EvFail only
}

func (e Event) String() string {
	s := fmt.Sprintf("#%d step=%d t=%v %s task=%d arg=%d", e.Seq, e.Step, e.Time, e.Kind, e.Task, e.Arg)
	if e.Text != "" {
		s += " " + e.Text
	}
	return s
}

// tracer keeps the rolling hash over every event, a ring of the last events, and, when
// asked, the whole log.
type tracer struct {
	hash uint64
	seq  uint64
	ring []Event // fixed length; ring[seq%len] is the newest
	log  []Event // nil unless Options.Log
	keep bool
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func newTracer(tail int, keep bool) tracer {
	if tail <= 0 {
		tail = 1
	}
	return tracer{hash: fnvOffset, ring: make([]Event, tail), keep: keep}
}

// emit hashes one event and stores it. The hash is FNV-1a taken over 64-bit words rather
// than bytes: the same stability, a quarter of the multiplications.
//
//go:norace
func (tr *tracer) emit(step uint64, now time.Duration, kind EventKind, task TaskID, arg int64, text string) {
	tr.seq++
	h := tr.hash
	h = (h ^ (uint64(kind) | uint64(uint32(task))<<8)) * fnvPrime
	h = (h ^ uint64(arg)) * fnvPrime
	h = (h ^ uint64(now)) * fnvPrime
	for i := 0; i < len(text); i++ {
		h = (h ^ uint64(text[i])) * fnvPrime
	}
	tr.hash = h
	e := &tr.ring[tr.seq%uint64(len(tr.ring))]
	e.Seq, e.Step, e.Time, e.Kind, e.Task, e.Arg, e.Text = tr.seq, step, now, kind, task, arg, text
	if tr.keep {
		tr.log = append(tr.log, *e)
	}
}

// tail returns the last events, oldest first.
func (tr *tracer) tail() []Event {
	n := uint64(len(tr.ring))
	if tr.seq < n {
		n = tr.seq
	}
	out := make([]Event, 0, n)
	for s := tr.seq - n + 1; s <= tr.seq; s++ {
		out = append(out, tr.ring[s%uint64(len(tr.ring))])
	}
	return out
}

// Describe renders an event with task names.
func (v *Verdict) Describe(e Event) string {
	who := "scheduler"
	if e.Task != 0 {
		who = fmt.Sprintf("task %d %q", e.Task, v.TaskName(e.Task))
	}
	head := fmt.Sprintf("#%d step=%d t=%v %s", e.Seq, e.Step, e.Time, who)
	switch e.Kind {
	case EvSpawn:
		return fmt.Sprintf("%s spawned by task %d", head, e.Arg)
	case EvRun:
		if e.Arg == 1 {
			return head + " runs (the only candidate)"
		}
		return fmt.Sprintf("%s runs (of %d candidates)", head, e.Arg)
	case EvBlock:
		return fmt.Sprintf("%s blocks on object #%d", head, e.Arg)
	case EvExit:
		return head + " exits"
	case EvTimer:
		return fmt.Sprintf("#%d step=%d t=%v timer #%d fires", e.Seq, e.Step, e.Time, e.Arg)
	case EvNote:
		return head + " " + e.Text
	case EvFail:
		return head + " FAIL " + e.Text
	}
	return e.String()
}
