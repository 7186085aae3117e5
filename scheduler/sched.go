package scheduler

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic" // only for the watchdog, which reads the run from outside it
	"time"
	"unsafe"
)

// Options configure one run. The zero value is usable: every field documents its default.
type Options struct {
	// Seed derives every random stream of the run. Default 0.
	Seed uint64
	// Strategy explores schedules. Default: the portfolio, which lets Seed choose.
	Strategy Strategy
	// MaxSteps bounds the number of scheduling decisions; reaching it is a livelock
	// verdict. Default 10,000,000.
	MaxSteps uint64
	// MaxTime bounds virtual time; a timer beyond it is a livelock verdict. Default 24h.
	MaxTime time.Duration
	// Watchdog is how long, in wall-clock time, the running task may go without reaching a
	// scheduling point before the run ends with an escape verdict (the task is blocked on
	// something the scheduler does not control). Default 5s; negative disables it.
	Watchdog time.Duration
	// Baton selects the handoff. Default: coroutines, or channels under -race.
	Baton Baton
	// Record keeps the run's decisions in Verdict.Decisions, for Replay: for each decision
	// with two or more candidates, the chosen task's ID, or 0 where the task is the one a
	// non-preemptive schedule would run; for each choice among ready events, its index;
	// for each draw of the time perturbation, minus the draw (0 is exact time). Default
	// off.
	Record bool
	// TimeJitter switches the time perturbation (jitter.go) for the run: JitterStrategy
	// leaves it to the strategy (on in half of the portfolio's members, and for a
	// strategy with Jitter set), JitterOn and JitterOff force it. The verdict's Strategy
	// says which it was. Default JitterStrategy.
	TimeJitter Jitter
	// Tail is how many of the last events a verdict keeps. Default 64.
	Tail int
	// Log keeps every event in Verdict.Events. Default off.
	Log bool
	// StepTime is the virtual time each scheduling decision costs: the clock advances by
	// it at every step, and timers it makes due fire before the next decision, so that
	// time passes while tasks run, as it does on a real machine (a one-nanosecond ticker
	// fires between two steps of a busy task). Default 0: time advances only when no
	// task can run, and every trace hash is that of a run without it.
	StepTime time.Duration
	// IdleFiringsMax bounds the timer firings in a row that make no task runnable: past
	// it, the run ends as if no timer were pending (a deadlock, or a leak once main has
	// returned), the message counting the firings. Without it, tasks all blocked beside a
	// ticker nobody receives from (it drops its ticks) run the clock to MaxTime, a
	// nanosecond at a time, for hours of wall time. The bound can misjudge a task that
	// sleeps past that many ticks of a ticker no task reads. Default 0: unbounded.
	IdleFiringsMax uint64
}

// Defaults of Options.
const (
	DefaultMaxSteps = 10_000_000
	DefaultMaxTime  = 24 * time.Hour
	DefaultWatchdog = 5 * time.Second
	DefaultTail     = 64
)

// Sched runs one simulation: it owns the tasks, the virtual clock, the random streams and
// the trace. It is single-use: New, then Run once. Everything but Run is called from
// inside the run (tasks and timer callbacks), where exactly one of them executes at a time.
type Sched struct {
	opts     Options
	strategy Strategy
	chooser  chooser
	baton    baton
	sched    *Rand   // the schedule stream
	jitter   *Rand   // the time stream, with Strategy.Jitter (jitter.go)
	replay   *replay // the chooser under Replay, whose script has the time draws too
	races    int     // the race detector's report count when the run started (race.go)
	stalled  *Timer  // the timer the next step stalls until, with the time perturbation

	tasks   []*Task // live tasks in ID order
	active  []*Task // the tasks a decision looks at, in ID order (Task.active)
	lastID  TaskID
	names   []string   // every task's name, by ID-1, with Options.Log only
	exited  []taskName // the last exited tasks' names (a ring as long as the event tail)
	nExited int
	cur     *Task // the running task; nil in scheduler context
	next    *Task // chosen by a decision inside a task, for the driver to resume
	main    *Task
	cands   []*Task // scratch for decide
	watches []*watch
	orphans []*Join // joins with a task that outlived the owner and no Wait since (join.go)

	now      time.Duration
	timers   timerHeap
	due      []*Timer // timers firing at this instant, not fired yet (collectDue)
	timerSeq uint64
	objSeq   int64

	step      uint64
	contended uint64 // decisions with two or more candidates
	tr        tracer
	failure   *Failure
	decisions []int32
	decSteps  []uint64 // with Record: the step of each decision (Verdict.DecisionSteps)
	killing   bool
	verdict   *Verdict
	stopped   []stop       // where a failed run's tasks were, filled by killAll
	runPCs    [8]uintptr   // Run's caller: task 1's spawn site
	holds     []holdRec    // with Log: every acquire and release (Held)
	sitePCs   [][8]uintptr // with Log: every task's spawn stack by ID-1, resolved for the verdict

	joined byte // race-detector sync address: task exits → Run's return
	//simvet:allow sync the watchdog's goroutine reads the decision count without the baton
	progress atomic.Uint64 // bumped at every decision and timer firing, read by the watchdog
	//simvet:allow sync set by the watchdog's goroutine when it abandons the run
	poisoned atomic.Bool
}

// New prepares a run.
func New(opts Options) *Sched {
	if opts.MaxSteps == 0 {
		opts.MaxSteps = DefaultMaxSteps
	}
	if opts.MaxTime == 0 {
		opts.MaxTime = DefaultMaxTime
	}
	if opts.Watchdog == 0 {
		opts.Watchdog = DefaultWatchdog
	}
	if opts.Tail <= 0 {
		opts.Tail = DefaultTail
	}
	if opts.Baton == BatonDefault {
		opts.Baton = BatonCoroutine
		if RaceEnabled {
			opts.Baton = BatonChannel
		}
	}
	s := &Sched{opts: opts, tr: newTracer(opts.Tail, opts.Log)}
	s.strategy = opts.Strategy.Resolve(opts.Seed)
	switch opts.TimeJitter {
	case JitterOn:
		s.strategy.Jitter = true
	case JitterOff:
		s.strategy.Jitter = false
	}
	s.sched = s.Stream("schedule")
	s.chooser = newChooser(s.strategy, s.sched)
	if s.strategy.Jitter {
		s.jitter = s.Stream("time")
		s.replay, _ = s.chooser.(*replay)
	}
	if opts.Baton == BatonChannel {
		s.baton = &chanBaton{back: make(chan struct{})}
	} else {
		s.baton = coroBaton{}
	}
	return s
}

// Strategy returns the concrete strategy of this run (the portfolio resolved).
func (s *Sched) Strategy() Strategy { return s.strategy }

// Seed returns the run's seed.
func (s *Sched) Seed() uint64 { return s.opts.Seed }

// Stream returns a new random stream derived from the run's seed and name (under the Tape
// strategy, drawing from the run's Source). The same name gives the same stream; callers
// keep the stream rather than asking again.
func (s *Sched) Stream(name string) *Rand { return newStream(s.opts.Seed, s.strategy, name) }

// NewID returns a fresh ID for an object (a mutex, an event, a timer), for traces.
//
//go:norace
func (s *Sched) NewID() int64 {
	s.objSeq++
	return s.objSeq
}

// Now returns virtual time since Epoch.
//
//go:norace
func (s *Sched) Now() time.Duration { return s.now }

// Step returns the number of scheduling decisions taken so far.
//
//go:norace
func (s *Sched) Step() uint64 { return s.step }

// Current returns the running task, or nil in scheduler context (a timer callback).
//
//go:norace
func (s *Sched) Current() *Task { return s.cur }

// Go spawns a task. From a task it is a scheduling point; from scheduler context (a timer
// callback) it is not.
//
//go:norace
func (s *Sched) Go(name string, fn func()) *Task {
	s.lastID++
	t := &Task{s: s, id: s.lastID, name: name, fn: fn, state: taskRunnable, killed: s.killing}
	runtime.Callers(2, t.pcs[:])
	if s.opts.Log {
		s.names = append(s.names, name)
		s.sitePCs = append(s.sitePCs, t.pcs)
	}
	if s.cur != nil {
		t.parent = s.cur.id
	}
	s.tasks = append(s.tasks, t)
	s.activate(t)
	s.chooser.spawned(t)
	s.tr.emit(s.step, s.now, EvSpawn, t.id, int64(t.parent), name)
	s.baton.start(t)
	if s.cur != nil {
		s.park(s.cur)
	}
	return t
}

// Point is a scheduling point: the running task offers the scheduler a chance to run
// another. In scheduler context it does nothing.
//
//go:norace
func (s *Sched) Point() {
	if t := s.cur; t != nil {
		s.park(t)
	}
}

// Yield is an explicit yield from a task that is waiting by polling (a spin loop). PCT
// demotes the task, so that the loop cannot starve the task it waits for.
//
//go:norace
func (s *Sched) Yield() {
	if t := s.cur; t != nil {
		s.chooser.yielded(t)
		s.park(t)
	}
}

// Wait blocks the running task until w is ready. It always parks, even if w is ready
// already; callers check first.
//
//go:norace
func (s *Sched) Wait(w Waitable) {
	t := s.mustTask("Wait")
	t.wait1[0] = w
	s.block(t, t.wait1[:])
}

// Select blocks the running task until at least one of ws is ready and returns the index
// of one that is; when several are, the schedule stream chooses. It always parks first.
// The scheduler reads ws only while the task is blocked.
//
//go:norace
func (s *Sched) Select(ws []Waitable) int {
	t := s.mustTask("Select")
	s.block(t, ws)
	return s.ChooseReady(ws)
}

// ChooseReady returns the index of a ready waitable among ws, letting the schedule stream
// choose among several, or -1 if none is ready. It is not a scheduling point.
//
//go:norace
func (s *Sched) ChooseReady(ws []Waitable) int {
	n, first := 0, -1
	for i, w := range ws {
		if w.Ready() {
			if n == 0 {
				first = i
			}
			n++
		}
	}
	if n <= 1 {
		return first
	}
	k := s.chooser.choose(n)
	s.record(int32(k))
	for i, w := range ws {
		if w.Ready() {
			if k == 0 {
				return i
			}
			k--
		}
	}
	panic("scheduler: ready set changed during ChooseReady")
}

//go:norace
func (s *Sched) block(t *Task, ws []Waitable) {
	t.state = taskBlocked
	t.waits = ws
	t.polled = false
	for _, w := range ws {
		if l := w.Waiters(); l != nil {
			l.add(t)
		} else {
			t.polled = true
		}
	}
	if !t.polled && !t.anyReady() {
		s.deactivate(t) // until a Wake says one of its waitables changed
	}
	s.tr.emitBlock(s.step, s.now, t.id, ws)
	s.park(t)
	for _, w := range ws {
		if l := w.Waiters(); l != nil {
			l.remove(t)
		}
	}
	t.state = taskRunnable
	t.waits = nil
	t.wait1[0] = nil
}

// Wake tells the scheduler that the waitable whose list l is may have become ready: the
// next decision checks the tasks blocked on it. It is not a scheduling point.
//
//go:norace
func (s *Sched) Wake(l *WaitList) {
	for _, t := range l.tasks {
		if t.state == taskBlocked {
			s.activate(t)
		}
	}
}

// activate puts t in the active list, keeping ID order.
//
//go:norace
func (s *Sched) activate(t *Task) {
	if t.active {
		return
	}
	t.active = true
	i := len(s.active)
	s.active = append(s.active, t)
	for i > 0 && s.active[i-1].id > t.id {
		s.active[i] = s.active[i-1]
		i--
	}
	s.active[i] = t
}

// deactivate takes t out of the active list.
//
//go:norace
func (s *Sched) deactivate(t *Task) {
	if !t.active {
		return
	}
	t.active = false
	for i, u := range s.active {
		if u == t {
			for j := i; j+1 < len(s.active); j++ {
				s.active[j] = s.active[j+1]
			}
			s.active[len(s.active)-1] = nil
			s.active = s.active[:len(s.active)-1]
			return
		}
	}
}

// Note adds an application event (a frame sent, a fault injected) to the trace.
//
//go:norace
func (s *Sched) Note(text string) {
	var id TaskID
	if s.cur != nil {
		id = s.cur.id
	}
	s.tr.emit(s.step, s.now, EvNote, id, 0, text)
}

// Fail ends the run with an assertion failure. Called from a task, it unwinds that task
// and does not return.
//
//go:norace
func (s *Sched) Fail(msg string) {
	s.fail(FailAssert, msg, s.cur, "")
	if s.cur != nil {
		s.failure.At = stoppedAt()
		panic(killSignal{})
	}
}

// Failed reports whether the run has failed.
//
//go:norace
func (s *Sched) Failed() bool { return s.failure != nil }

//go:norace
func (s *Sched) mustTask(op string) *Task {
	if s.cur == nil {
		panic("scheduler: " + op + " called outside a task (timer callbacks must not block)")
	}
	return s.cur
}

// park hands control to the scheduler. It returns when the task is chosen to run again,
// at once if the decision picks it again.
//
//go:norace
func (s *Sched) park(t *Task) {
	if t.killed || s.failure != nil {
		panic(killSignal{})
	}
	next := s.decide()
	if next == t {
		return
	}
	s.next = next
	s.baton.switchOut(t)
	if t.killed || s.poisoned.Load() {
		if s.failure != nil && !s.poisoned.Load() {
			t.at = stoppedAt()
		}
		panic(killSignal{})
	}
}

// decide takes one scheduling decision: the candidates are the runnable tasks and the
// blocked ones with a ready waitable. It returns nil when there is none (time must
// advance, or the run is over) or when the run has failed.
//
//go:norace
func (s *Sched) decide() *Task {
	if len(s.watches) > 0 {
		s.pollWatches()
	}
	if s.failure != nil {
		return nil
	}
	prev := len(s.cands)
	cands := s.cands[:0]
	for i := 0; i < len(s.active); {
		t := s.active[i]
		if t.state == taskRunnable || t.anyReady() {
			cands = append(cands, t)
			i++
			continue
		}
		if t.polled {
			i++
			continue
		}
		// Woken, but not ready (another task got there first): inactive until the next
		// Wake of one of its waitables.
		t.active = false
		for j := i; j+1 < len(s.active); j++ { // not copy: it would be race-instrumented
			s.active[j] = s.active[j+1]
		}
		s.active[len(s.active)-1] = nil
		s.active = s.active[:len(s.active)-1]
	}
	// Drop the last decision's extra candidates: a stale pointer would keep a finished
	// task, and through its function everything it referenced, alive.
	clear(cands[len(cands):max(prev, len(cands))])
	s.cands = cands
	if len(cands) == 0 {
		return nil
	}
	if s.step >= s.opts.MaxSteps {
		// After main returned, a task that still runs at the step limit never ends: a
		// leak, as one that keeps waking on timers until the time limit is (idle).
		kind, msg := FailSteps, fmt.Sprintf("step limit %d reached", s.opts.MaxSteps)
		if s.main.state == taskDone {
			kind, msg = FailLeak, fmt.Sprintf("%d tasks still running after main returned, until the step limit %d", len(s.tasks), s.opts.MaxSteps)
		}
		s.fail(kind, msg, s.cur, "")
		return nil
	}
	s.step++
	s.progress.Add(1)
	if s.opts.StepTime > 0 {
		s.passStep()
	}
	t := cands[0]
	if len(cands) > 1 {
		s.contended++
		t = s.chooser.pick(s.cur, cands)
		// A choice the non-preemptive default would make is recorded as 0, which Replay
		// reads as "the default": the script then names only its preemptions, which is
		// what a shrinker removes.
		if s.opts.Record && t == nonPreemptive(s.cur, cands) {
			s.record(0)
		} else {
			s.record(int32(t.id))
		}
	}
	if len(cands) > 1 || t != s.cur {
		s.tr.emit(s.step, s.now, EvRun, t.id, int64(len(cands)), "")
	}
	return t
}

//go:norace
func (s *Sched) record(d int32) {
	if s.opts.Record {
		s.decisions = append(s.decisions, d)
		s.decSteps = append(s.decSteps, s.step)
	}
}

// taskMain is the root of every task's stack.
//
//go:norace
func (s *Sched) taskMain(t *Task) {
	defer s.taskExit(t)
	if t.killed {
		t.at = "not started"
		return
	}
	t.fn()
}

//go:norace
func (s *Sched) taskExit(t *Task) {
	r := recover()
	if s.poisoned.Load() {
		return // the run was abandoned: touch nothing
	}
	if r != nil {
		if _, ok := r.(killSignal); !ok {
			stack := string(debug.Stack())
			s.fail(FailPanic, fmt.Sprint(r), t, stack)
			s.failure.Panic = r
			s.failure.At = userFrame(stack)
		}
	}
	// Run's return waits for every task, as joining goroutines would: each exit is a
	// release that Run acquires.
	RaceReleaseMerge(unsafe.Pointer(&s.joined))
	t.state = taskDone
	if !t.over {
		t.over, t.ended = true, s.step
	}
	t.fn = nil
	s.rememberExit(t)
	s.deactivate(t)
	for i, u := range s.tasks {
		if u == t {
			for j := i; j+1 < len(s.tasks); j++ {
				s.tasks[j] = s.tasks[j+1]
			}
			s.tasks[len(s.tasks)-1] = nil
			s.tasks = s.tasks[:len(s.tasks)-1]
			break
		}
	}
	if !s.killing {
		s.tr.emit(s.step, s.now, EvExit, t.id, 0, "")
	}
	s.next = nil
	if !t.killed {
		s.next = s.decide()
	}
}
