package scheduler

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// FailKind classifies a failed run.
type FailKind uint8

// The kinds of failure. Their numeric values feed the trace hash: never reorder them.
const (
	FailAssert   FailKind = iota + 1 // an assertion or invariant failed
	FailPanic                        // a task panicked
	FailDeadlock                     // every live task blocked, no timer pending, main alive
	FailLeak                         // tasks still alive after main returned
	FailSteps                        // the step limit was reached (livelock)
	FailTime                         // the virtual-time limit was reached (livelock)
	FailEscape                       // a task blocked outside the scheduler's control
	FailRace                         // the race detector reported a data race (-race builds)
	FailOrphan                       // a task outlived its group's owner, and no Wait followed (join.go)
	FailLiveness                     // tasks still alive when a liveness bound expired (liveness.go)
)

var failNames = [...]string{"?", "assert", "panic", "deadlock", "leak", "livelock-steps", "livelock-time", "escape", "race", "orphan", "liveness"}

func (k FailKind) String() string {
	if int(k) < len(failNames) {
		return failNames[k]
	}
	return "fail" + strconv.Itoa(int(k))
}

// Failure says why and where a run failed.
type Failure struct {
	Kind     FailKind
	Message  string
	Step     uint64
	Time     time.Duration
	Task     TaskID // the task that failed, 0 if none in particular
	TaskName string
	At       string // file:line where the failing task's own code stopped
	Stack    string // the failing goroutine's stack, for panics and escapes, or the race report; never hashed
	Panic    any    // the value a task panicked with
}

func (f *Failure) String() string {
	s := fmt.Sprintf("%s at step %d (t=%v): %s", f.Kind, f.Step, f.Time, f.Message)
	if f.Task != 0 {
		s += fmt.Sprintf(" [task %d %q", f.Task, f.TaskName)
		if f.At != "" {
			s += " at " + f.At
		}
		s += "]"
	}
	return s
}

// TaskInfo is one live task's state in a verdict.
type TaskInfo struct {
	ID      TaskID
	Name    string
	Site    string // where it was spawned
	State   string // "runnable" or "blocked"
	Waiting string // what a blocked task waits on
	At      string // file:line where it stopped, from its goroutine's stack
}

func (ti TaskInfo) String() string {
	s := fmt.Sprintf("task %d %q (spawned at %s): %s", ti.ID, ti.Name, ti.Site, ti.State)
	if ti.Waiting != "" {
		s += " on " + ti.Waiting
	}
	if ti.At != "" {
		s += " at " + ti.At
	}
	return s
}

// Verdict is the outcome of a run.
type Verdict struct {
	Seed      uint64
	Strategy  Strategy // the concrete strategy (the portfolio resolved)
	Failure   *Failure // nil when the run passed
	Steps     uint64
	Contended uint64           // decisions that had two or more candidates
	Time      time.Duration    // virtual time at the end
	Hash      uint64           // rolling hash over every event
	Tasks     []TaskInfo       // live tasks at the end (a failed run's suspects)
	Last      []Event          // the last events, oldest first
	Events    []Event          // every event, with Options.Log
	Decisions []int32          // with Options.Record: the script that replays this run
	Names     []string         // task names by ID-1: every task with Log, else the live ones and those the event tail names
	Objects   map[int64]string // failed runs and Log: what the kept events block on, by object ID (`mutex "pool"#3`)
	Sites     []string         // with Log: every task's spawn site (file:line) by ID-1
	Blocks    []BlockInfo      // with Log: each block event's holder and file:line, in event order; never hashed
	Holds     []Hold           // with Log: every acquire and release of a mutex, in order; never hashed
	// DecisionSteps, with Options.Record, is the step each of Decisions was taken at: a
	// scheduling decision's own step; a ready choice's or a time draw's, the step of the
	// task (or timer firing) that drew it. Never hashed.
	DecisionSteps []uint64
}

// Site returns where task id was spawned, or "" when the verdict does not say (a run
// without Options.Log names only its live tasks' sites, in Tasks).
func (v *Verdict) Site(id TaskID) string {
	if id >= 1 && int(id) <= len(v.Sites) {
		return v.Sites[id-1]
	}
	for _, t := range v.Tasks {
		if t.ID == id {
			return t.Site
		}
	}
	return ""
}

// TaskName returns the name of task id, or "" if there was no such task.
func (v *Verdict) TaskName(id TaskID) string {
	if id >= 1 && int(id) <= len(v.Names) {
		return v.Names[id-1]
	}
	return ""
}

// fillStops adds to the task list where each task was found as the run was unwound.
func (v *Verdict) fillStops(stops []stop) {
	for _, st := range stops {
		for i := range v.Tasks {
			if v.Tasks[i].ID == st.id {
				v.Tasks[i].At = st.at
			}
		}
	}
}

// OK reports whether the run passed.
func (v *Verdict) OK() bool { return v.Failure == nil }

// Report renders a failed verdict for a person: the seed, the concrete strategy and the
// failure on its first line, then every live task and the last events. It is empty for a
// passing run.
func (v *Verdict) Report() string {
	if v.Failure == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "seed=%d strategy=%s: %s\n", v.Seed, v.Strategy, v.Failure)
	for _, t := range v.Tasks {
		fmt.Fprintf(&b, "  %s\n", t)
	}
	if v.Failure.Stack != "" {
		label := "stack"
		if v.Failure.Kind == FailRace {
			label = "race detector"
		}
		fmt.Fprintf(&b, "%s:\n%s\n", label, strings.TrimRight(v.Failure.Stack, "\n"))
	}
	if len(v.Last) > 0 {
		fmt.Fprintf(&b, "last %d events:\n", len(v.Last))
		for _, e := range v.Last {
			fmt.Fprintf(&b, "  %s\n", v.Describe(e))
		}
	}
	return b.String()
}

//go:norace
func (s *Sched) makeVerdict() *Verdict {
	v := &Verdict{
		Seed: s.opts.Seed, Strategy: s.strategy, Failure: s.failure,
		Steps: s.step, Contended: s.contended, Time: s.now, Hash: s.tr.hash, Last: s.tr.tail(),
		Events: s.tr.log, Decisions: s.decisions, DecisionSteps: s.decSteps, Names: s.taskNames(),
	}
	if s.failure != nil {
		v.Tasks = s.taskInfos()
	}
	if s.failure != nil || s.opts.Log { // Describe is for reports and traces only
		v.Objects = s.tr.objects()
	}
	if s.opts.Log {
		v.Blocks = s.tr.blockInfos()
		v.Holds = s.holdList()
		v.Sites = make([]string, len(s.sitePCs))
		for i := range s.sitePCs {
			v.Sites[i] = userSite(s.sitePCs[i][:])
		}
	}
	return v
}

// taskInfos describes every live task, with where each stopped when goroutine IDs are
// known (the watchdog is on).
//
//go:norace
func (s *Sched) taskInfos() []TaskInfo {
	out := make([]TaskInfo, 0, len(s.tasks))
	for _, t := range s.tasks {
		ti := TaskInfo{ID: t.id, Name: t.name, Site: t.site(), State: "runnable"}
		if t.state == taskBlocked {
			ti.State = "blocked"
			var ws []string
			for _, w := range t.waits {
				ws = append(ws, w.Describe())
			}
			ti.Waiting = strings.Join(ws, " or ")
		}
		out = append(out, ti)
	}
	return out
}

// escape abandons a run whose running task has not reached a scheduling point for too
// long, and reports the task with its goroutine's stack.
//
//go:norace
func (s *Sched) escape(stalled time.Duration) *Verdict {
	s.poisoned.Store(true)
	t := s.cur
	if t == nil {
		t = s.next
	}
	f := &Failure{Kind: FailEscape, Step: s.step, Time: s.now}
	f.Message = fmt.Sprintf("escape: no scheduling point for %v of wall time; a task is blocked outside the simulator (raw channel, sync.Mutex, real I/O or time)", stalled.Round(time.Millisecond))
	if t != nil {
		f.Task, f.TaskName = t.id, t.name
		f.Message = fmt.Sprintf("escape: task %d %q (spawned at %s) made no scheduling point for %v of wall time: it is blocked outside the simulator (raw channel, sync.Mutex, real I/O or time)",
			t.id, t.name, t.site(), stalled.Round(time.Millisecond))
		f.Stack = escapedStack()
		f.At = userFrame(f.Stack)
	}
	s.failure = f
	// The driver is stuck in the escaped task, so the tasks and the trace hold still: the
	// verdict can name and describe them as a finished run's does.
	tasks := s.taskInfos()
	for i := range tasks {
		if t != nil && tasks[i].ID == t.id {
			tasks[i].State, tasks[i].At = "escaped", f.At
		}
	}
	return &Verdict{Seed: s.opts.Seed, Strategy: s.strategy, Failure: f, Steps: s.step, Contended: s.contended,
		Time: s.now, Hash: s.tr.hash, Tasks: tasks, Last: s.tr.tail(), Names: s.taskNames(), Objects: s.tr.objects()}
}

// escapedStack finds the one task goroutine that is not parked by the scheduler (its
// stack has a task root and no park frame) and returns its stack.
func escapedStack() string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "github.com/muxsim/muxsim/scheduler.(*Sched).taskMain") && !strings.Contains(g, "github.com/muxsim/muxsim/scheduler.(*Sched).park") {
			return g
		}
	}
	return ""
}

// userFrame returns file:line of the innermost frame of a stack that is not in the Go
// runtime or this module's runtime packages: where the task's own code stopped. The
// "created by" entry at the end says where the goroutine was started, not where it
// stopped, and is never the answer.
func userFrame(stack string) string {
	for _, f := range parseStack(stack) {
		if !f.createdBy && !isRuntimeFrame(f.fn, f.file) {
			return shortFile(f.file) + ":" + f.line
		}
	}
	return ""
}

// stackFrame is one entry of a goroutine's stack as runtime.Stack prints it.
type stackFrame struct {
	fn        string // the function, without arguments
	file      string
	line      string
	createdBy bool // the "created by fn in goroutine N" entry: the go statement's site
}

// parseStack reads one goroutine's stack as runtime.Stack and debug.Stack print it: a
// "goroutine N [state]:" header, then for each frame a function line ("pkg.fn(args)",
// "created by pkg.fn in goroutine N" for the last) followed by a tab-indented
// "file:line +0xpc" line. Lines it does not recognise ("...additional frames elided...")
// are skipped.
func parseStack(stack string) []stackFrame {
	lines := strings.Split(stack, "\n")
	var out []stackFrame
	for i := 0; i+1 < len(lines); i++ {
		fn, loc := lines[i], lines[i+1]
		if fn == "" || strings.HasPrefix(fn, "\t") || strings.HasPrefix(fn, "goroutine ") || !strings.HasPrefix(loc, "\t") {
			continue
		}
		i++
		f := stackFrame{}
		if rest, ok := strings.CutPrefix(fn, "created by "); ok {
			f.createdBy = true
			if j := strings.LastIndex(rest, " in goroutine "); j >= 0 {
				rest = rest[:j]
			}
			fn = rest
		} else if j := strings.LastIndexByte(fn, '('); j > 0 && strings.HasSuffix(fn, ")") {
			fn = fn[:j]
		}
		f.fn = fn
		loc = strings.TrimSpace(loc)
		if j := strings.LastIndex(loc, " +0x"); j > 0 {
			loc = loc[:j]
		}
		if j := strings.LastIndexByte(loc, ':'); j > 0 {
			f.file, f.line = loc[:j], loc[j+1:]
		} else {
			f.file = loc
		}
		out = append(out, f)
	}
	return out
}
