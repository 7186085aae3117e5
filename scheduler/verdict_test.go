package scheduler

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// lock is a minimal mutex for verdict tests: the primitives proper live in package sim.
// Like them, it keeps its state out of the race detector's sight (go:norace) and declares
// the happens-before edge a mutex makes.
type lock struct {
	s     *Sched
	id    int64
	name  string
	owner *Task
}

func newLock(s *Sched, name string) *lock { return &lock{s: s, id: s.NewID(), name: name} }

//go:norace
func (l *lock) Lock() {
	l.s.Point()
	for l.owner != nil {
		l.s.Wait(l)
	}
	l.owner = l.s.Current()
	RaceAcquire(unsafe.Pointer(l))
}

//go:norace
func (l *lock) Unlock() {
	RaceRelease(unsafe.Pointer(l))
	l.owner = nil
	l.s.Point()
}

//go:norace
func (l *lock) Ready() bool { return l.owner == nil }

func (l *lock) WaitID() int64 { return l.id }

func (l *lock) Waiters() *WaitList { return nil }

//go:norace
func (l *lock) Describe() string { return "lock " + l.name + " held by " + l.owner.String() }

// TestDeadlockNamesEveryBlockedTask forces a lock-order deadlock with a replay script and
// checks that the verdict names each blocked task, what it waits on and where.
func TestDeadlockNamesEveryBlockedTask(t *testing.T) {
	for _, b := range batons() {
		s := New(Options{Baton: b, Strategy: Strategy{Kind: Random}, Seed: 6})
		v := s.Run(func() {
			a, c := newLock(s, "a"), newLock(s, "c")
			done := &flag{id: s.NewID()}
			s.Go("ab", func() { a.Lock(); s.Point(); c.Lock() })
			s.Go("ca", func() { c.Lock(); s.Point(); a.Lock() })
			s.Wait(done)
		})
		// Not every seed deadlocks; find one that does with the same program.
		if v.OK() {
			t.Fatalf("%v: seed 6 expected to deadlock; verdict ok", b)
		}
		if v.Failure.Kind != FailDeadlock {
			t.Fatalf("%v: kind %v, want deadlock: %s", b, v.Failure.Kind, v.Report())
		}
		rep := v.Report()
		if first, _, _ := strings.Cut(rep, "\n"); !strings.HasPrefix(first, "seed=6 strategy=random: deadlock at step") {
			t.Errorf("%v: report's first line %q lacks the seed and strategy", b, first)
		}
		for _, want := range []string{
			`task 1 "main"`, `blocked on flag`,
			`task 2 "ab" blocks on lock`, `task 3 "ca" blocks on lock`,
			`task 2 "ab"`, `task 3 "ca"`, `lock c held by task 3 "ca"`, `lock a held by task 2 "ab"`,
			`verdict_test.go:`,
		} {
			if !strings.Contains(rep, want) {
				t.Errorf("%v: report lacks %q:\n%s", b, want, rep)
			}
		}
	}
}

// TestLeakAfterMainReturns checks that a task left blocked when main returns is a leak.
func TestLeakAfterMainReturns(t *testing.T) {
	s := New(Options{})
	v := s.Run(func() {
		never := &flag{id: s.NewID()}
		s.Go("orphan", func() { s.Wait(never) })
	})
	if v.OK() || v.Failure.Kind != FailLeak || !strings.Contains(v.Report(), `"orphan"`) {
		t.Fatalf("want a leak naming the orphan, got:\n%s", v.Report())
	}
}

// TestPanicIsAVerdict checks that a panicking task ends the run with its message, its
// name and the step, and that other tasks are unwound (their defers run).
func TestPanicIsAVerdict(t *testing.T) {
	for _, b := range batons() {
		s := New(Options{Baton: b})
		unwound := false
		v := s.Run(func() {
			s.Go("bystander", func() {
				defer func() { unwound = true }()
				s.Wait(&flag{id: s.NewID()})
			})
			s.Go("crasher", func() { s.Point(); panic("boom") })
			s.Wait(&flag{id: s.NewID()})
		})
		if v.OK() || v.Failure.Kind != FailPanic || v.Failure.Message != "boom" || v.Failure.TaskName != "crasher" {
			t.Fatalf("%v: want panic boom in crasher, got %v", b, v.Failure)
		}
		if v.Failure.Panic != "boom" || !strings.Contains(v.Failure.Stack, "verdict_test.go") {
			t.Fatalf("%v: panic value %v, stack:\n%s", b, v.Failure.Panic, v.Failure.Stack)
		}
		if !unwound {
			t.Fatalf("%v: the bystander's defer did not run", b)
		}
	}
}

// TestStepLimitAfterMainIsLeak checks that a task still spinning at the step limit after
// main returned is a leak verdict (it would outlive the test), not a livelock.
func TestStepLimitAfterMainIsLeak(t *testing.T) {
	s := New(Options{MaxSteps: 1000})
	v := s.Run(func() {
		s.Go("spinner", func() {
			for {
				s.Yield()
			}
		})
	})
	if v.OK() || v.Failure.Kind != FailLeak || v.Steps != 1000 {
		t.Fatalf("want a leak at the step limit 1000, got %v (steps %d)", v.Failure, v.Steps)
	}
}

// TestStepLimitCatchesSpin checks that a task spinning without progress hits the step
// limit instead of hanging.
func TestStepLimitCatchesSpin(t *testing.T) {
	s := New(Options{MaxSteps: 1000})
	v := s.Run(func() {
		for {
			s.Yield()
		}
	})
	if v.OK() || v.Failure.Kind != FailSteps || v.Steps != 1000 {
		t.Fatalf("want the step limit at 1000, got %v (steps %d)", v.Failure, v.Steps)
	}
}

// TestTimeLimitCatchesRetryStorm checks that endless sleeping hits the virtual-time limit.
func TestTimeLimitCatchesRetryStorm(t *testing.T) {
	s := New(Options{MaxTime: time.Hour})
	v := s.Run(func() {
		for {
			f := &flag{id: s.NewID()}
			s.AfterFunc(time.Minute, func() { f.set = true })
			s.Wait(f)
		}
	})
	if v.OK() || v.Failure.Kind != FailTime || v.Time != time.Hour {
		t.Fatalf("want the time limit at 1h, got %v at %v", v.Failure, v.Time)
	}
}

// TestEscapeIsReportedNotHung blocks a task on a raw channel, which the scheduler cannot
// see, and checks that the watchdog returns an escape verdict with the task's stack.
func TestEscapeIsReportedNotHung(t *testing.T) {
	for _, b := range batons() {
		raw := make(chan struct{})
		s := New(Options{Baton: b, Watchdog: 200 * time.Millisecond})
		start := time.Now()
		v := s.Run(func() {
			s.Go("reader", func() { <-raw })
			s.Point()
			s.Wait(&flag{id: s.NewID()})
		})
		elapsed := time.Since(start)
		close(raw) // let the abandoned goroutine finish
		if v.OK() || v.Failure.Kind != FailEscape {
			t.Fatalf("%v: want escape, got %v", b, v.Failure)
		}
		if v.Failure.TaskName != "reader" || !strings.Contains(v.Failure.Stack, "chan receive") ||
			!strings.Contains(v.Failure.Stack, "verdict_test.go") {
			t.Fatalf("%v: report does not show the reader blocked on its channel:\n%s", b, v.Report())
		}
		// Every task and event is named, as in any other failed verdict.
		rep := v.Report()
		for _, want := range []string{`task 1 "main"`, `task 2 "reader"`, `task 2 "reader" (spawned at scheduler/verdict_test.go:`, `: escaped at scheduler/verdict_test.go:`} {
			if !strings.Contains(rep, want) {
				t.Errorf("%v: escape report lacks %q:\n%s", b, want, rep)
			}
		}
		if strings.Contains(rep, `task 2 ""`) || v.TaskName(1) != "main" || v.TaskName(2) != "reader" {
			t.Errorf("%v: escape verdict leaves names out:\n%s", b, rep)
		}
		if elapsed > 5*time.Second {
			t.Fatalf("%v: escape took %v", b, elapsed)
		}
	}
}

// TestReplayFollowsRecordedDecisions records a random run and replays its decisions
// under a different seed's strategy: the trace must be the same.
func TestReplayFollowsRecordedDecisions(t *testing.T) {
	prog := func(s *Sched) func() {
		return func() {
			l := newLock(s, "l")
			n := 0
			for i := range 4 {
				s.Go("w", func() {
					for range 3 {
						l.Lock()
						n += i
						l.Unlock()
					}
				})
			}
			for {
				l.Lock()
				done := n == 18
				l.Unlock()
				if done {
					return
				}
				s.Yield()
			}
		}
	}
	for seed := uint64(1); seed <= 20; seed++ {
		s := New(Options{Seed: seed, Strategy: Strategy{Kind: Random}, Record: true})
		rec := s.Run(prog(s))
		if !rec.OK() || len(rec.Decisions) == 0 {
			t.Fatalf("seed %d: %v, %d decisions", seed, rec.Failure, len(rec.Decisions))
		}
		r := New(Options{Seed: seed, Strategy: Strategy{Kind: Replay, Decisions: rec.Decisions}})
		rep := r.Run(prog(r))
		if rep.Hash != rec.Hash || rep.Steps != rec.Steps {
			t.Fatalf("seed %d: replay hash %x steps %d, recorded %x steps %d", seed, rep.Hash, rep.Steps, rec.Hash, rec.Steps)
		}
	}
}

// TestSameInputsSameHash is the determinism contract at the scheduler's level.
func TestSameInputsSameHash(t *testing.T) {
	run := func(seed uint64, b Baton) uint64 {
		s := New(Options{Seed: seed, Baton: b})
		return s.Run(func() {
			l := newLock(s, "l")
			for range 3 {
				s.Go("w", func() { l.Lock(); s.Point(); l.Unlock() })
			}
			for len(s.tasks) > 1 {
				s.Yield()
			}
		}).Hash
	}
	seen := map[uint64]bool{}
	for seed := uint64(1); seed <= 30; seed++ {
		h := run(seed, BatonCoroutine)
		if h2 := run(seed, BatonCoroutine); h2 != h {
			t.Fatalf("seed %d: hashes %x and %x", seed, h, h2)
		}
		if h3 := run(seed, BatonChannel); h3 != h {
			t.Fatalf("seed %d: coroutine %x, channel %x", seed, h, h3)
		}
		seen[h] = true
	}
	if len(seen) < 10 {
		t.Fatalf("30 seeds gave only %d distinct schedules", len(seen))
	}
}

// TestUserFrameSkipsCreatedBy: the goal is that where a task stopped is never the go
// statement that started its goroutine. Since Go 1.21 a stack ends with "created by fn in
// goroutine N"; a stack whose frames are all the runtime's has no user frame at all.
func TestUserFrameSkipsCreatedBy(t *testing.T) {
	const stack = `goroutine 9 [chan receive]:
runtime.gopark(0x1?, 0x2?)
	/usr/local/go/src/runtime/proc.go:460 +0xce
github.com/muxsim/muxsim/scheduler.(*Sched).taskMain(0xc000, 0xc001)
	/w/scheduler/sched.go:490 +0x5a
...additional frames elided...
created by example.com/user/pool.(*Pool).start in goroutine 1
	/w/user/pool/pool.go:42 +0x10b
`
	if got := userFrame(stack); got != "" {
		t.Fatalf("userFrame = %q, want none (the created-by site is not where the task stopped)", got)
	}
	user := strings.Replace(stack, "...additional frames elided...\n",
		"example.com/user/pool.(*Pool).evict(...)\n\t/w/user/pool/evict.go:17 +0x1d\n", 1)
	if got := userFrame(user); got != "pool/evict.go:17" {
		t.Fatalf("userFrame = %q, want pool/evict.go:17", got)
	}
	fs := parseStack(stack)
	if last := fs[len(fs)-1]; !last.createdBy || last.fn != "example.com/user/pool.(*Pool).start" || last.line != "42" {
		t.Fatalf("created-by frame parsed as %+v", last)
	}
}
