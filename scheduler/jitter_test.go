package scheduler

import (
	"fmt"
	"testing"
	"time"
)

// sleep blocks the running task for d of virtual time.
func sleep(s *Sched, d time.Duration) {
	f := &flag{id: s.NewID()}
	s.AfterFunc(d, f.raise)
	f.await(s)
}

// wake is one return from sleep: who, when it slept and how long.
type wake struct {
	task          string
	start, d, now time.Duration
}

// ticker runs a periodic task and a client whose steps never meet the ticks at exact
// time (the pool canary's shape), logging every wake-up: each task in its own log, which
// the caller merges after the run (under -race a shared one would be a data race).
func ticker(s *Sched, log *[]wake) func() {
	var logs [2][]wake
	nap := func(i int, name string, d time.Duration) {
		start := s.Now()
		sleep(s, d)
		logs[i] = append(logs[i], wake{name, start, d, s.Now()})
	}
	return func() {
		exited := [2]*flag{{id: s.NewID()}, {id: s.NewID()}}
		s.Go("tick", func() {
			defer exited[0].raise()
			nap(0, "tick", 50*time.Microsecond)
			for range 10 {
				nap(0, "tick", time.Millisecond)
			}
		})
		s.Go("client", func() {
			defer exited[1].raise()
			for range 20 {
				nap(1, "client", 300*time.Microsecond)
				nap(1, "client", 200*time.Microsecond)
			}
		})
		exited[0].await(s)
		exited[1].await(s)
		*log = append(logs[0], logs[1]...)
	}
}

// TestJitterLateNeverEarly: the goal is the perturbation's promise, that a timer fires at
// or after its deadline and at most a quarter of its duration late; and its point, that a
// tick and a client step that never meet at exact time do meet for some seeds.
func TestJitterLateNeverEarly(t *testing.T) {
	met := func(log []wake) bool {
		at := map[time.Duration]string{}
		for _, w := range log {
			if other, ok := at[w.now]; ok && other != w.task {
				return true
			}
			at[w.now] = w.task
		}
		return false
	}
	meetings := 0
	for seed := uint64(1); seed <= 20; seed++ {
		for _, jitter := range []bool{false, true} {
			var log []wake
			s := New(Options{Seed: seed, Strategy: Strategy{Kind: Random, Jitter: jitter}})
			if v := s.Run(ticker(s, &log)); !v.OK() {
				t.Fatalf("seed %d: %v", seed, v.Failure)
			}
			for _, w := range log {
				late := w.now - w.start - w.d
				if late < 0 || late > w.d/4 || (!jitter && late != 0) {
					t.Fatalf("seed %d jitter %v: %s slept %v from %v, woke at %v", seed, jitter, w.task, w.d, w.start, w.now)
				}
			}
			if met(log) {
				if !jitter {
					t.Fatalf("seed %d: the tick met the client at exact time", seed)
				}
				meetings++
			}
		}
	}
	if meetings < 10 {
		t.Fatalf("the tick met the client in %d of 20 perturbed runs, want most", meetings)
	}
}

// TestJitterReplays: a perturbed run recorded with Record replays event for event from
// its decisions, which hold the time draws as negative entries.
func TestJitterReplays(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		var log []wake
		s := New(Options{Seed: seed, Strategy: Strategy{Kind: Random, Jitter: true}, Record: true})
		rec := s.Run(ticker(s, &log))
		draws := 0
		for _, d := range rec.Decisions {
			if d < 0 {
				draws++
			}
		}
		if draws == 0 {
			t.Fatalf("seed %d: no time draw recorded", seed)
		}
		r := New(Options{Seed: seed, Strategy: Strategy{Kind: Replay, Jitter: true, Decisions: rec.Decisions}})
		rep := r.Run(ticker(r, &log))
		if rep.Hash != rec.Hash || rep.Time != rec.Time {
			t.Fatalf("seed %d: replay hash %x time %v, recorded %x time %v", seed, rep.Hash, rep.Time, rec.Hash, rec.Time)
		}
	}
}

// TestJitterZeroIsExactTime: every draw 0 (an empty script, an empty tape) is the
// unperturbed run, hash for hash, which is what lets a shrinker go back to exact time.
func TestJitterZeroIsExactTime(t *testing.T) {
	hash := func(st Strategy) uint64 {
		var log []wake
		s := New(Options{Strategy: st})
		return s.Run(ticker(s, &log)).Hash
	}
	exact := hash(Strategy{Kind: Sequential})
	for _, st := range []Strategy{
		{Kind: Replay, Jitter: true},
		{Kind: Tape, Jitter: true, Source: &ListSource{}},
		{Kind: Tape, Source: &ListSource{}},
	} {
		if h := hash(st); h != exact {
			t.Errorf("%v with zero draws: hash %x, sequential %x", st, h, exact)
		}
	}
}

// TestPortfolioJitter: half the portfolio perturbs time, each seed keeps the kind of
// strategy it had before the perturbation existed, Options.TimeJitter overrides both
// ways, and every concrete strategy's name parses back to it.
func TestPortfolioJitter(t *testing.T) {
	old := []Strategy{{Kind: Random}, {Kind: PCT, Depth: 1}, {Kind: PCT, Depth: 2}, {Kind: PCT, Depth: 3}}
	on := 0
	for seed := uint64(1); seed <= 400; seed++ {
		st := Strategy{}.Resolve(seed)
		want := old[mix64(seed^0x706f7274666f6c69)%4]
		if st.Kind != want.Kind || st.Depth != want.Depth {
			t.Fatalf("seed %d resolves to %v, was %v", seed, st, want)
		}
		if st.Jitter {
			on++
		}
		back, err := ParseStrategy(st.String())
		if err != nil || back.Kind != st.Kind || back.Depth != st.Depth || back.Jitter != st.Jitter {
			t.Fatalf("seed %d: %v parses back as %v, %v", seed, st, back, err)
		}
		for mode, want := range map[Jitter]bool{JitterOn: true, JitterOff: false, JitterStrategy: st.Jitter} {
			if got := New(Options{Seed: seed, TimeJitter: mode}).Strategy().Jitter; got != want {
				t.Fatalf("seed %d, mode %d: jitter %v, want %v", seed, mode, got, want)
			}
		}
	}
	if on < 150 || on > 250 {
		t.Fatalf("%d of 400 portfolio seeds perturb time, want about half", on)
	}
	if _, err := ParseStrategy("pct2+jitter+jitter"); err == nil {
		t.Fatal("pct2+jitter+jitter parsed")
	}
	if st, _ := ParseStrategy("pct2+jitter"); fmt.Sprint(st) != "pct2+jitter" {
		t.Fatalf("pct2+jitter reads as %v", st)
	}
}

// TestArmedTimerAfterEveryTaskExited: a timer still armed when the last task exits (an
// unstopped timer, a pending AfterFunc) ends nothing badly: the run passes, and its time
// is that of the last task event, not the timer's deadline (which here is past MaxTime,
// where the run used to report a leak of zero tasks).
func TestArmedTimerAfterEveryTaskExited(t *testing.T) {
	for _, late := range []time.Duration{time.Hour, 48 * time.Hour} {
		fired := false
		s := New(Options{})
		v := s.Run(func() {
			s.AfterFunc(late, func() { fired = true })
			sleep(s, time.Millisecond)
		})
		if !v.OK() || v.Time != time.Millisecond || fired {
			t.Fatalf("timer at %v: verdict %v, time %v, fired %v; want ok at 1ms, unfired", late, v.Failure, v.Time, fired)
		}
	}
}

// TestStepTimersRaceFree checks that timers fired at a step, on the goroutine of the task
// that yielded (Options.StepTime), leave no data race in the scheduler's own state for
// -race to find: two tasks each arm timers due together, so that a step fires several
// in a drawn order, and yield. Under -race with the race-preserving baton, a race
// (the runtime's copy in the due list was one, instrumented even in go:norace code)
// fails the run; without -race it checks that every timer fired.
func TestStepTimersRaceFree(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		s := New(Options{Seed: seed, Strategy: Strategy{Kind: Random, Jitter: true}, StepTime: time.Nanosecond, Baton: BatonChannel})
		var fired counter
		v := s.Run(func() {
			for k := range 2 {
				s.Go("armer", func() {
					for i := range 50 {
						for j := range 3 {
							s.AfterFunc(time.Duration(1+(i+j+k)%3)*time.Nanosecond, fired.inc)
						}
						s.Yield()
					}
					done := &flag{id: s.NewID()}
					s.AfterFunc(10*time.Nanosecond, done.raise) // after every timer armed above
					done.await(s)
				})
			}
		})
		if n := fired.get(); !v.OK() || n != 2*50*3 {
			t.Fatalf("seed %d: %d of 300 timers fired; verdict:\n%s", seed, n, v.Report())
		}
	}
}

// counter counts timer firings, out of the race detector's sight: the callbacks of one
// run fire one at a time, on whichever goroutine took the step.
type counter struct{ n int }

//go:norace
func (c *counter) inc() { c.n++ }

//go:norace
func (c *counter) get() int { return c.n }
