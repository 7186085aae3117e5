package simrapid_test

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/simrapid"
)

// The adapter's tests: a tape replays its run exactly, an empty tape is the
// non-preemptive schedule, and a lost update shrinks to one preemption.

// increments runs n tasks that each add 1 to a counter with a locked read, a scheduling
// point and a locked write, and stores the final count in got. The scheduling point is
// where a preemption loses an update (an atomicity violation, not a data race: -race
// stays quiet).
func increments(n int, got *int) func(rt *sim.Runtime) {
	return func(rt *sim.Runtime) {
		count := 0
		mu := rt.NewMutex("count")
		g := rt.NewGroup("incrementers")
		for i := range n {
			g.Go(fmt.Sprint("inc-", i), func() {
				mu.Lock()
				v := count
				mu.Unlock()
				rt.Yield()
				mu.Lock()
				count = v + 1
				mu.Unlock()
			})
		}
		g.Wait()
		*got = count
	}
}

// TestReplayIsTheSameRun: Replay of a tape gives the run that drew it, hash for hash.
func TestReplayIsTheSameRun(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "tasks")
		var got int
		v, tape := simrapid.Run(t, simrapid.Options{}, increments(n, &got))
		again := simrapid.Replay(sim.Options{}, tape, increments(n, &got))
		if v.Hash != again.Hash || v.Steps != again.Steps {
			t.Fatalf("replay of %v: %016x/%d steps, first run %016x/%d", tape, again.Hash, again.Steps, v.Hash, v.Steps)
		}
	})
}

// TestEmptyTapeIsSequential: a tape of zeros never preempts, like the Sequential
// strategy, and loses no update.
func TestEmptyTapeIsSequential(t *testing.T) {
	var got int
	v := simrapid.Replay(sim.Options{}, nil, increments(3, &got))
	var seq sim.Options
	seq.Strategy = sim.Sequential
	want := sim.Run(seq, increments(3, &got))
	if v.Hash != want.Hash || got != 3 {
		t.Fatalf("empty tape: hash %016x, count %d; sequential: %016x, 3", v.Hash, got, want.Hash)
	}
}

// TestLostUpdateShrinks: rapid finds the lost update and shrinks it to two tasks and a
// single preemption. (With DepartEvery 1, uniform draws, it stops at three preemptions:
// lowering any one of them moves the meaning of the others.) The property fails on
// purpose, inside a recording TB, with a fixed rapid seed so that the outcome does not
// depend on the clock.
func TestLostUpdateShrinks(t *testing.T) {
	for name, value := range map[string]string{"rapid.nofailfile": "true", "rapid.seed": "1"} {
		old := flag.Lookup(name).Value.String()
		if err := flag.Set(name, value); err != nil {
			t.Fatal(err)
		}
		defer flag.Set(name, old)
	}
	var rec recorder
	rapid.Check(&rec, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "tasks")
		var got int
		v, tape := simrapid.Run(t, simrapid.Options{}, increments(n, &got))
		simrapid.Check(t, v, tape)
		if got != n {
			ev := simrapid.Replay(sim.Options{Log: true}, tape, increments(n, &got))
			t.Fatalf("lost update: %d tasks counted %d (%v; %d preemptions)", n, got, tape, scheduler.Preemptions(ev.Events))
		}
	})
	out := rec.String()
	var n, got, preemptions int
	i := strings.Index(out, "lost update: ")
	if i >= 0 {
		_, _ = fmt.Sscanf(out[i:], "lost update: %d tasks counted %d", &n, &got)
		if j := strings.Index(out[i:], "; "); j >= 0 {
			_, _ = fmt.Sscanf(out[i+j:], "; %d preemptions", &preemptions)
		}
	}
	if !rec.failed || n != 2 || got != 1 || preemptions != 1 {
		t.Fatalf("want a lost update shrunk to two tasks and one preemption, got:\n%s", out)
	}
	t.Logf("shrunk: %s", out[i:])
}

// recorder is a rapid.TB that keeps what a failing check reports instead of failing.
type recorder struct {
	strings.Builder
	failed bool
}

func (r *recorder) Helper()                         {}
func (r *recorder) Name() string                    { return "TestLostUpdateShrinks" }
func (r *recorder) Logf(format string, args ...any) { fmt.Fprintf(r, format+"\n", args...) }
func (r *recorder) Log(args ...any)                 { fmt.Fprintln(r, args...) }
func (r *recorder) Skipf(string, ...any)            { panic("skip") }
func (r *recorder) Skip(...any)                     { panic("skip") }
func (r *recorder) SkipNow()                        { panic("skip") }
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.Logf(format, args...)
}
func (r *recorder) Error(args ...any)                 { r.failed = true; r.Log(args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Fatal(args ...any)                 { r.Error(args...) }
func (r *recorder) FailNow()                          { r.failed = true }
func (r *recorder) Fail()                             { r.failed = true }
func (r *recorder) Failed() bool                      { return r.failed }

// TestInputRunsOut: when rapid's input ends mid-run (here a fuzz input of four words),
// the rest of the run takes 0, and the run is a valid test case rather than a skipped
// one.
func TestInputRunsOut(t *testing.T) {
	var tape simrapid.Tape
	var got int
	done := false
	t.Run("fuzz", func(t *testing.T) {
		input := make([]byte, 4*8) // four words of zeros: fewer than the run's draws
		rapid.MakeFuzz(func(t *rapid.T) {
			var v *sim.Verdict
			v, tape = simrapid.Run(t, simrapid.Options{}, increments(3, &got))
			simrapid.Check(t, v, tape)
		})(t, input)
		done = true
	})
	if !done || len(tape) == 0 || len(tape) > 4 || got != 3 {
		t.Fatalf("run ended=%v with tape %v, count %d: want a complete run on a short tape", done, tape, got)
	}
}
