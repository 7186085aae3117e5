package scheduler

import "time"

// Hold is one acquire or release of an object a task can hold (a mutex), recorded with
// Options.Log outside the event stream: events feed the trace hash, and a lock taken
// without contention is no scheduling decision, so the trace keeps no event for it. A
// Hold sits between events: After is the Seq of the last event before it.
type Hold struct {
	After   uint64 // the Seq of the event just before it (0 before the first)
	Step    uint64
	Time    time.Duration
	Task    TaskID
	Object  int64  // the object's WaitID, as block events name it
	Label   string // the object's name ("mutex \"a\"#1")
	Acquire bool   // taken; false: released
}

// holdRec is a Hold before its label is resolved: a string is built only when the
// verdict is made, off the tasks' goroutines.
type holdRec struct {
	after, step uint64
	now         time.Duration
	task        TaskID
	w           Waitable
	acquire     bool
}

// Held records, with Options.Log, that the running task took (acquire) or released w, for
// traces; without Log, and in scheduler context, it does nothing. It is not a scheduling
// point and feeds neither the hash nor any decision.
//
//go:norace
func (s *Sched) Held(w Waitable, acquire bool) {
	if !s.opts.Log || s.cur == nil {
		return
	}
	s.holds = append(s.holds, holdRec{s.tr.seq, s.step, s.now, s.cur.id, w, acquire})
}

// holdList resolves the recorded holds for the verdict.
func (s *Sched) holdList() []Hold {
	if len(s.holds) == 0 {
		return nil
	}
	out := make([]Hold, len(s.holds))
	for i, h := range s.holds {
		label := h.w.Describe()
		if l, ok := h.w.(Labeler); ok {
			label = l.Label()
		}
		out[i] = Hold{After: h.after, Step: h.step, Time: h.now, Task: h.task, Object: h.w.WaitID(), Label: label, Acquire: h.acquire}
	}
	return out
}
