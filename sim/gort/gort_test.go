package gort

import (
	"strings"
	"testing"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// TestNilChanDeadlock checks that a receive from a nil channel parks the task, so that
// the run ends in a deadlock verdict naming the nil channel, not a panic or a hang.
func TestNilChanDeadlock(t *testing.T) {
	v := Run(sim.Options{Seed: 1}, func() {
		var c *Chan[int]
		c.Recv()
	})
	if v.OK() || v.Failure.Kind.String() != "deadlock" || !strings.Contains(v.Report(), "receiving from nil chan") {
		t.Fatalf("want a deadlock on a nil channel, got:\n%s", v.Report())
	}
}

// TestZeroValuesRebind checks that a shim's zero value binds to the run that uses it, and
// again to the next run: a package-level Mutex left locked by one seed's run does not
// block the next seed's.
func TestZeroValuesRebind(t *testing.T) {
	var mu Mutex
	var wg WaitGroup
	for seed := uint64(1); seed <= 2; seed++ {
		v := Run(sim.Options{Seed: seed}, func() {
			wg.Add(1)
			Go(func() { defer wg.Done(); mu.Lock() })
			wg.Wait()
		})
		if !v.OK() {
			t.Fatalf("seed %d: %s", seed, v.Report())
		}
	}
}

// TestTimerStopDrains checks Go 1.23's timer semantics: Stop of a timer that fired but
// whose value nobody received reports true, and no stale value arrives after it.
func TestTimerStopDrains(t *testing.T) {
	v := Run(sim.Options{Seed: 1}, func() {
		tm := NewTimer(time.Millisecond)
		Sleep(2 * time.Millisecond)
		if !tm.Stop() {
			rt().Fail("Stop after an unreceived fire reported false")
		}
		if Select(tm.C.RecvCase(nil), Default) != 1 {
			rt().Fail("a stale value arrived after Stop")
		}
	})
	if !v.OK() {
		t.Fatal(v.Report())
	}
}

// TestMathRandReplays checks that math/rand's global functions draw from the run's seed:
// the same seed gives the same draws, another seed other draws.
func TestMathRandReplays(t *testing.T) {
	draw := func(seed uint64) (n int) {
		Run(sim.Options{Seed: seed}, func() { n = MathRand().Intn(1 << 30) })
		return n
	}
	if a, b, c := draw(1), draw(1), draw(2); a != b || a == c {
		t.Fatalf("draws %d %d (seed 1 twice) %d (seed 2)", a, b, c)
	}
}

// TestErrorfFailsRun checks that t.Errorf from a task fails the run when the test
// returns, with the message and its position.
func TestErrorfFailsRun(t *testing.T) {
	r := RunTest(sim.Options{Seed: 1}, Test{Name: "TestX", F: func(tt *T) {
		done := MakeChan[struct{}](0)
		Go(func() { tt.Errorf("bad %d", 7); done.Close() })
		done.Recv()
	}})
	if r.OK || r.Kind != "assert" || !strings.Contains(r.Failure, "gort_test.go") || !strings.Contains(r.Failure, "bad 7") {
		t.Fatalf("got ok=%t kind=%q failure=%q", r.OK, r.Kind, r.Failure)
	}
}

// TestSleepZeroReturns checks Go's Sleep(0): it returns at once, with no scheduling
// point, while another task is still runnable (a zero-duration timer would wait until it
// blocks).
func TestSleepZeroReturns(t *testing.T) {
	v := Run(sim.Options{Seed: 1}, func() {
		busy := MakeChan[int](1)
		Go(func() { busy.Send(1) })
		before := rt().Step()
		Sleep(0)
		Sleep(-time.Second)
		if rt().Step() != before {
			rt().Fail("Sleep(0) took a scheduling step")
		}
		busy.Recv()
	})
	if !v.OK() {
		t.Fatal(v.Report())
	}
}

// TestIdleTickerDeadlock checks IdleFiringsMax: two tasks deadlocked on each other beside
// a ticker that nobody receives from end in a deadlock verdict, not a run of the clock
// to MaxTime.
func TestIdleTickerDeadlock(t *testing.T) {
	opts := sim.Options{Seed: 1, StepTime: StepTime, IdleFiringsMax: 1000}
	v := Run(opts, func() {
		tk := NewTicker(time.Nanosecond)
		defer tk.Stop()
		var a, b Mutex
		a.Lock()
		held := MakeChan[struct{}](0)
		Go(func() { b.Lock(); held.Close(); a.Lock() })
		held.Recv()
		b.Lock()
	})
	if v.OK() || v.Failure.Kind.String() != "deadlock" || !strings.Contains(v.Report(), "timer firings woke none") {
		t.Fatalf("want a deadlock beside the idle ticker, got:\n%s", v.Report())
	}
}
