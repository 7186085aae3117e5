package scheduler

import (
	"time"
	"unsafe"
)

// Epoch is virtual time zero: 2000-01-01 00:00 UTC, as in testing/synctest.
var Epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Timer calls a function when virtual time reaches its deadline. Timers due at the same
// instant fire in the order they were created; with the time perturbation on (jitter.go)
// a timer may fire late, together with others, in a drawn order, never early. The
// function runs in scheduler context, between tasks: it may fire events, cancel
// contexts, signal, or spawn tasks, and must not block.
type Timer struct {
	s     *Sched
	id    int64
	when  time.Duration
	late  time.Duration // how late it may fire (jitter.go); 0 at exact time
	seq   uint64
	fn    func()
	index int // position in the timer heap, timerDue while in Sched.due, -1 once fired or stopped
}

// timerDue is Timer.index for a timer taken off the heap to fire at the current instant.
const timerDue = -2

// AfterFunc arranges for fn to run in scheduler context after d of virtual time. A
// negative or zero d fires at the next point where time may advance, after every runnable
// task has had its turn.
//
//go:norace
func (s *Sched) AfterFunc(d time.Duration, fn func()) *Timer {
	if d < 0 {
		d = 0
	}
	s.timerSeq++
	t := &Timer{s: s, id: s.NewID(), when: s.now + d, late: s.lateness(d), seq: s.timerSeq, fn: fn}
	s.stall(t, d)
	s.timers.push(t)
	// As with the runtime's timers, arming happens before the callback runs.
	RaceRelease(unsafe.Pointer(t))
	return t
}

// Stop prevents the timer from firing. It reports whether the call stopped it (false if it
// had already fired or been stopped).
//
//go:norace
func (t *Timer) Stop() bool {
	switch {
	case t.index == timerDue: // due at this instant, not fired yet (another callback stops it)
		s := t.s
		for i, u := range s.due {
			if u == t {
				s.removeDue(i)
				break
			}
		}
		t.index = -1
		return true
	case t.index < 0:
		return false
	}
	t.s.timers.remove(t.index)
	return true
}

// collectDue takes off the heap every timer that fires at the next instant and returns
// that instant: the earliest deadline at exact time; with lateness, the earliest
// deadline+late among the timers, and every timer due by then fires with it (jitter.go).
// The heap pops in (deadline, creation) order, and a timer popped later can only lower
// the instant, never below the deadlines already popped, so one pass finds the set.
//
//go:norace
func (s *Sched) collectDue() time.Duration {
	at := s.timers[0].when + s.timers[0].late
	for len(s.timers) > 0 && s.timers[0].when <= at {
		t := s.timers.remove(0)
		at = min(at, t.when+t.late)
		t.index = timerDue
		s.due = append(s.due, t)
	}
	return at
}

// fireDue fires the collected timers at the current instant: in (deadline, creation)
// order at exact time, else in a drawn order.
//
//go:norace
func (s *Sched) fireDue() {
	for len(s.due) > 0 && s.failure == nil {
		i := 0
		if len(s.due) > 1 && s.strategy.Jitter {
			i = s.jitterDraw(len(s.due))
		}
		tm := s.due[i]
		s.removeDue(i)
		tm.index = -1
		s.tr.emit(s.step, s.now, EvTimer, 0, tm.id, "")
		RaceAcquire(unsafe.Pointer(tm))
		tm.fn()
	}
	for i := range s.due { // a failed run leaves the rest unfired
		s.due[i].index = -1
		s.due[i] = nil
	}
	s.due = s.due[:0]
}

// removeDue takes the i-th timer out of Sched.due, keeping the order. The shift is a
// written-out loop, not copy: timers fire on task goroutines too (passStep), and the
// race detector instruments the runtime's copy even in a go:norace function, so two
// tasks' firings would read as a data race on the scheduler's slice.
//
//go:norace
func (s *Sched) removeDue(i int) {
	for j := i; j+1 < len(s.due); j++ {
		s.due[j] = s.due[j+1]
	}
	s.due[len(s.due)-1] = nil
	s.due = s.due[:len(s.due)-1]
}

// passStep advances the clock by Options.StepTime for one decision, or to the stalling
// timer's instant when one was drawn since the last step and is still armed (jitter.go),
// and fires the timers that are due by then (a late timer at its deadline plus lateness,
// as collectDue does), in scheduler context: the task that yielded is not current while they run, so
// a callback's send or spawn is the scheduler's, as in idle. The tasks they wake are
// candidates from the next decision on. The clock never goes back: collectDue's instant
// is at or before the new time.
//
//go:norace
func (s *Sched) passStep() {
	s.now += s.opts.StepTime
	if t := s.stalled; t != nil {
		s.stalled = nil
		if t.index >= 0 {
			s.now = max(s.now, t.when+t.late)
		}
	}
	cur := s.cur
	s.cur = nil
	for s.failure == nil && len(s.timers) > 0 && s.timers[0].when+s.timers[0].late <= s.now {
		s.collectDue()
		s.fireDue()
	}
	s.cur = cur
}

// When returns the timer's deadline in virtual time since Epoch.
//
//go:norace
func (t *Timer) When() time.Duration { return t.when }

// timerHeap is a binary min-heap ordered by (when, seq).
type timerHeap []*Timer

//go:norace
func (h timerHeap) less(i, j int) bool {
	if h[i].when != h[j].when {
		return h[i].when < h[j].when
	}
	return h[i].seq < h[j].seq
}

//go:norace
func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

//go:norace
func (h *timerHeap) push(t *Timer) {
	t.index = len(*h)
	*h = append(*h, t)
	h.up(t.index)
}

//go:norace
func (h *timerHeap) remove(i int) *Timer {
	old := *h
	n := len(old) - 1
	t := old[i]
	if i != n {
		old.swap(i, n)
	}
	old[n] = nil
	*h = old[:n]
	if i != n {
		h.down(i)
		h.up(i)
	}
	t.index = -1
	return t
}

//go:norace
func (h timerHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

//go:norace
func (h timerHeap) down(i int) {
	n := len(h)
	for {
		least := i
		if l := 2*i + 1; l < n && h.less(l, least) {
			least = l
		}
		if r := 2*i + 2; r < n && h.less(r, least) {
			least = r
		}
		if least == i {
			return
		}
		h.swap(i, least)
		i = least
	}
}
