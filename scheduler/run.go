package scheduler

import (
	"fmt"
	"runtime"
	"time"
	"unsafe"
)

// Run runs main as task 1 until every task has exited or the run fails, and returns the
// verdict. A run is a pure function of (Options, main, binary): the same inputs give the
// same verdict and trace hash.
func (s *Sched) Run(main func()) *Verdict {
	if s.verdict != nil || s.main != nil {
		panic("scheduler: Run called twice on one Sched")
	}
	s.mainPCs()
	s.races = RaceErrors()
	done := make(chan struct{})
	// The driver runs on its own goroutine so that, if a task escapes the scheduler (blocks
	// on something it does not control), the watchdog below can abandon it and still
	// return a verdict.
	//simvet:allow go the driver goroutine, so that the watchdog can abandon an escaped run
	go func() {
		defer close(done)
		s.drive(main)
	}()
	if s.opts.Watchdog < 0 {
		<-done
		RaceAcquire(unsafe.Pointer(&s.joined))
		return s.verdict
	}
	// The watchdog uses the wall clock on purpose: it measures the host, not the simulation.
	//simvet:allow time the escape watchdog measures the host's wall clock, never the simulation's
	tick := time.NewTicker(s.opts.Watchdog / 8)
	defer tick.Stop()
	//simvet:allow time the watchdog's wall-clock start, never hashed or seen by tasks
	last, since := s.progress.Load(), time.Now()
	for {
		//simvet:allow select the watchdog waits for the driver or its ticker, outside the simulation
		select {
		case <-done:
			RaceAcquire(unsafe.Pointer(&s.joined))
			return s.verdict
		case now := <-tick.C:
			if p := s.progress.Load(); p != last {
				last, since = p, now
			} else if now.Sub(since) >= s.opts.Watchdog {
				return s.escape(now.Sub(since))
			}
		}
	}
}

// drive is the run loop: it resumes the chosen task, and when no task can run it advances
// virtual time to the next timer, fires what is due, and decides again.
//
//go:norace
func (s *Sched) drive(main func()) {
	s.main = s.Go("main", main)
	s.main.pcs = s.runPCs
	if s.opts.Log {
		s.sitePCs[0] = s.runPCs
	}
	for s.failure == nil {
		t := s.next
		s.next = nil
		if t == nil {
			if t = s.idle(); t == nil {
				break
			}
		}
		s.cur = t
		s.baton.resume(t)
		s.cur = nil
		if s.poisoned.Load() {
			return
		}
		s.checkRace(t)
	}
	s.checkRace(nil)
	s.verdict = s.makeVerdict()
	s.killAll()
	s.verdict.fillStops(s.stopped)
}

// idle runs when no decision could be taken: it fires timers until a task can run, or
// concludes the run. Once every task has exited the run is over, as a program is once its
// goroutines are: a timer still armed (an unstopped timer, a pending AfterFunc) never
// fires and does not move the clock, so the verdict's time is that of the last task event.
//
//go:norace
func (s *Sched) idle() *Task {
	for firings := uint64(0); ; firings++ {
		if t := s.decide(); t != nil || s.failure != nil {
			return t
		}
		if len(s.timers) == 0 || len(s.tasks) == 0 {
			s.conclude()
			return nil
		}
		if m := s.opts.IdleFiringsMax; m > 0 && firings >= m {
			s.concludeIdle(firings)
			return nil
		}
		when := s.collectDue()
		if when > s.opts.MaxTime {
			kind, msg := FailTime, fmt.Sprintf("virtual time limit %v reached (next timer at %v)", s.opts.MaxTime, when)
			if s.main.state == taskDone {
				kind, msg = FailLeak, fmt.Sprintf("%d tasks still alive after main returned, waking on timers until the time limit %v", len(s.tasks), s.opts.MaxTime)
			}
			s.fail(kind, msg, nil, "")
			s.fireDue() // unfired: the run has failed
			return nil
		}
		s.now = when
		s.progress.Add(1) // a long run of idle firings is progress, not an escaped task
		s.fireDue()
		// Callbacks may arm timers for this same instant (zero durations): they fire now
		// too, after those already due, before any task runs.
		for s.failure == nil && len(s.timers) > 0 && s.timers[0].when <= s.now {
			s.collectDue()
			s.fireDue()
		}
	}
}

// concludeIdle classifies a run in which no task can run and the last firings timer
// firings (Options.IdleFiringsMax) woke none: as conclude does, a deadlock while main
// runs, a leak after.
//
//go:norace
func (s *Sched) concludeIdle(firings uint64) {
	what := fmt.Sprintf("%d live tasks are blocked and the last %d timer firings woke none", len(s.tasks), firings)
	if s.main.state != taskDone {
		s.fail(FailDeadlock, "all "+what, nil, "")
		return
	}
	s.fail(FailLeak, "after main returned, "+what, nil, "")
}

// conclude classifies a run in which no task can run and no timer is pending.
//
//go:norace
func (s *Sched) conclude() {
	switch {
	case len(s.tasks) == 0:
		// Every task exited: success, unless one outlived its owner unwaited.
		s.checkOrphans()
	case s.main.state != taskDone:
		s.fail(FailDeadlock, fmt.Sprintf("all %d live tasks are blocked and no timer is pending", len(s.tasks)), nil, "")
	default:
		s.fail(FailLeak, fmt.Sprintf("%d tasks still blocked after main returned", len(s.tasks)), nil, "")
	}
}

// killAll unwinds every task still alive, newest first, so that their goroutines exit and
// their deferred calls run. Nothing it does reaches the trace hash.
//
//go:norace
func (s *Sched) killAll() {
	s.killing = true
	for len(s.tasks) > 0 {
		t := s.tasks[len(s.tasks)-1]
		t.killed = true
		s.cur = t
		s.baton.resume(t)
		s.cur = nil
		if s.failure != nil {
			s.stopped = append(s.stopped, stop{t.id, t.at})
		}
		if s.poisoned.Load() {
			return
		}
	}
}

//go:norace
func (s *Sched) fail(kind FailKind, msg string, t *Task, stack string) {
	if s.failure != nil {
		return
	}
	f := &Failure{Kind: kind, Message: msg, Step: s.step, Time: s.now, Stack: stack}
	if t != nil {
		f.Task, f.TaskName = t.id, t.name
	}
	s.failure = f
	s.tr.emit(s.step, s.now, EvFail, f.Task, int64(kind), msg)
}

// stop is where a failed run's task was found as it was unwound.
type stop struct {
	id TaskID
	at string
}

// mainPCs records Run's caller as the spawn site of task 1.
func (s *Sched) mainPCs() { runtime.Callers(3, s.runPCs[:]) }
