package scheduler

import (
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// TaskID identifies a task within one run. IDs count up from 1 in spawn order; the first
// task, main, is 1.
type TaskID int32

type taskState uint8

const (
	taskRunnable taskState = iota
	taskBlocked
	taskDone
)

// Task is one simulated goroutine.
type Task struct {
	s      *Sched
	id     TaskID
	name   string
	pcs    [8]uintptr // the spawn's call stack, resolved to a site only for reports
	at     string     // where a failed run found the task, filled as it unwinds
	parent TaskID
	fn     func()
	state  taskState
	waits  []Waitable // what a blocked task waits on
	wait1  [1]Waitable
	prio   int64  // PCT priority
	ended  uint64 // the step at which its function returned, for FailOrphan (join.go)
	over   bool   // its function has returned (Sched.Returned), or it has exited
	killed bool   // unwinding at the end of a run
	active bool   // in Sched.active: runnable, polled, or woken since it blocked
	polled bool   // blocked on a waitable without a wait list, polled at every decision

	// coroutine baton
	next  func() (struct{}, bool)
	stop  func()
	yield func(struct{}) bool
	// channel baton
	wake chan struct{}
}

// ID returns the task's ID.
//
//go:norace
func (t *Task) ID() TaskID { return t.id }

// Name returns the name the task was spawned with.
func (t *Task) Name() string { return t.name }

func (t *Task) String() string {
	if t == nil {
		return "no task"
	}
	return "task " + strconv.Itoa(int(t.id)) + " " + strconv.Quote(t.name)
}

// anyReady reports whether a blocked task could proceed.
//
//go:norace
func (t *Task) anyReady() bool {
	for _, w := range t.waits {
		if w.Ready() {
			return true
		}
	}
	return false
}

// Waitable is something a task can block on. Ready is polled at decision points, with
// exactly one task or the scheduler running, so it needs no locking; it must not block,
// allocate, or change anything. Describe is called only for reports.
//
// Under the race-preserving baton the scheduler reads a waitable from whichever goroutine
// takes a decision, so Ready and Describe, and the methods that change the state they
// read, must be marked go:norace; a primitive declares the happens-before edges it makes
// with RaceRelease and RaceAcquire.
type Waitable interface {
	Ready() bool
	WaitID() int64
	Describe() string
	// Waiters returns the list of tasks blocked on the waitable, which the waitable's
	// owner wakes with Sched.Wake whenever it may have become ready; nil means the
	// scheduler polls Ready at every decision instead (channels, for example).
	Waiters() *WaitList
}

// WaitList holds the tasks blocked on one waitable. The zero value is an empty list. A
// primitive keeps one per waitable and calls Sched.Wake(list) when its state changes in a
// way that may make it ready (Unlock, Fire, Notify); a decision then checks just those
// tasks instead of every blocked one.
type WaitList struct {
	tasks []*Task
}

//go:norace
func (l *WaitList) add(t *Task) { l.tasks = append(l.tasks, t) }

//go:norace
func (l *WaitList) remove(t *Task) {
	for i, u := range l.tasks {
		if u == t {
			last := len(l.tasks) - 1
			l.tasks[i] = l.tasks[last]
			l.tasks[last] = nil
			l.tasks = l.tasks[:last]
			return
		}
	}
}

// killSignal unwinds a task's stack when a run ends with the task still alive. Code under
// test that recovers every panic would swallow it: such code must re-panic values it does
// not own (IsKill tells them apart).
type killSignal struct{}

// IsKill reports whether v, a value recovered from a panic, is the scheduler's own signal
// that unwinds a task whose run has ended or failed. Code that recovers panics must
// re-panic such a value: swallowed, the task would carry on in a run that is over.
func IsKill(v any) bool {
	_, ok := v.(killSignal)
	return ok
}

// site returns file:line of the spawn: the first caller outside this module's runtime
// packages (scheduler, sim).
func (t *Task) site() string { return userSite(t.pcs[:]) }

// userSite returns file:line of the first frame of pcs (a zero-padded runtime.Callers
// result) outside this module's runtime packages, or "?".
func userSite(pcs []uintptr) string {
	n := 0
	for n < len(pcs) && pcs[n] != 0 {
		n++
	}
	if n == 0 {
		return "?"
	}
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !isRuntimeFrame(f.Function, f.File) {
			return shortFile(f.File) + ":" + strconv.Itoa(f.Line)
		}
		if !more {
			return "?"
		}
	}
}

// isRuntimeFrame reports whether a frame belongs to the Go runtime or to this module's
// runtime packages (scheduler, sim, and sim/gort, the shims translated code calls), whose
// own tests count as user code.
func isRuntimeFrame(fn, file string) bool {
	if strings.HasSuffix(file, "_test.go") {
		return false
	}
	if fn == "panic" { // a stack line's arguments are cut off: panic({0x1, 0x2}) reads as panic
		return true
	}
	for _, p := range []string{"github.com/muxsim/muxsim/scheduler.", "github.com/muxsim/muxsim/sim.", "github.com/muxsim/muxsim/sim/gort.", "runtime.", "runtime/debug.", "iter.", "panic(", "testing."} {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}

// shortFile keeps the last two path elements: enough to find the file, no machine paths.
func shortFile(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i > 0 {
		if j := strings.LastIndexByte(path[:i], '/'); j >= 0 {
			return path[j+1:]
		}
	}
	return path
}

// stoppedAt returns where the calling task's own code is, from its stack.
func stoppedAt() string { return userFrame(string(debug.Stack())) }

// taskName is an exited task's name, kept for the events of the verdict's tail.
type taskName struct {
	id   TaskID
	name string
}

// rememberExit keeps t's name in the ring of recent exits. Without Options.Log the
// scheduler does not keep every name it ever saw (a long run starts tasks without end):
// the verdict names the live tasks and the last exits, which covers every task the event
// tail mentions (a task in the tail either lives or exited within the tail).
//
//go:norace
func (s *Sched) rememberExit(t *Task) {
	if s.opts.Log {
		return
	}
	if s.exited == nil {
		s.exited = make([]taskName, len(s.tr.ring))
	}
	s.exited[s.nExited%len(s.exited)] = taskName{t.id, t.name}
	s.nExited++
}

// taskNames returns every task's name by ID-1 with Options.Log, and otherwise the names
// of the live tasks and the recently exited ones (others are "").
//
//go:norace
func (s *Sched) taskNames() []string {
	if s.opts.Log {
		return s.names
	}
	names := make([]string, s.lastID)
	for _, e := range s.exited {
		if e.id != 0 {
			names[e.id-1] = e.name
		}
	}
	for _, t := range s.tasks {
		names[t.id-1] = t.name
	}
	return names
}
