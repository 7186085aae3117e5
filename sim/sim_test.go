package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/muxsim/muxsim/scheduler"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// both runs body once under the real runtime and, for seeds 1-20, under the simulated
// runtime with each baton. body reports problems by returning an error, so that the same
// check works in both worlds.
func both(t *testing.T, body func(rt *Runtime) error) {
	t.Helper()
	t.Run("real", func(t *testing.T) {
		if err := body(Real()); err != nil {
			t.Fatal(err)
		}
	})
	for _, b := range []scheduler.Baton{scheduler.BatonCoroutine, scheduler.BatonChannel} {
		t.Run("sim-"+b.String(), func(t *testing.T) {
			for seed := uint64(1); seed <= 20; seed++ {
				var err error
				o := Options{}
				o.Seed, o.Baton = seed, b
				v := Run(o, func(rt *Runtime) { err = body(rt) })
				if !v.OK() {
					t.Fatalf("seed %d: %s", seed, v.Report())
				}
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
			}
		})
	}
}

func TestMutexExcludes(t *testing.T) {
	both(t, func(rt *Runtime) error {
		mu := rt.NewMutex("m")
		inside, most, total := 0, 0, 0
		g := rt.NewGroup("g")
		for range 4 {
			g.Go("w", func() {
				for range 5 {
					mu.Lock()
					inside++
					most = max(most, inside)
					rt.Yield()
					inside--
					total++
					mu.Unlock()
				}
			})
		}
		g.Wait()
		if most != 1 || total != 20 {
			return fmt.Errorf("at most %d inside, %d total", most, total)
		}
		if !mu.TryLock() {
			return errors.New("TryLock failed on a free mutex")
		}
		if mu.TryLock() {
			return errors.New("TryLock succeeded on a held mutex")
		}
		mu.Unlock()
		return nil
	})
}

func TestCondWakesWaiters(t *testing.T) {
	both(t, func(rt *Runtime) error {
		mu := rt.NewMutex("m")
		c := rt.NewCond(mu)
		ready, woke := false, 0
		g := rt.NewGroup("g")
		for range 3 {
			g.Go("waiter", func() {
				mu.Lock()
				for !ready {
					c.Wait()
				}
				woke++
				mu.Unlock()
			})
		}
		mu.Lock()
		ready = true
		c.Broadcast()
		mu.Unlock()
		g.Wait()
		if woke != 3 {
			return fmt.Errorf("%d of 3 waiters woke", woke)
		}
		return nil
	})
}

func TestEventBroadcastsOnce(t *testing.T) {
	both(t, func(rt *Runtime) error {
		ev := rt.NewEvent("ev")
		g := rt.NewGroup("g")
		woke := 0
		mu := rt.NewMutex("m")
		for range 3 {
			g.Go("waiter", func() {
				_ = rt.Wait(context.Background(), ev)
				mu.Lock()
				woke++
				mu.Unlock()
			})
		}
		first, second := ev.Fire(), ev.Fire()
		g.Wait()
		if !first || second || !ev.Fired() || woke != 3 {
			return fmt.Errorf("fire %v then %v, fired %v, woke %d", first, second, ev.Fired(), woke)
		}
		return nil
	})
}

func TestNotifyKeepsOneToken(t *testing.T) {
	both(t, func(rt *Runtime) error {
		n := rt.NewNotify("n")
		n.Notify()
		n.Notify() // coalesces with the pending token
		if err := rt.Wait(context.Background(), n); err != nil {
			return err
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if i, err := rt.Select(ctx, n); i != -1 || !errors.Is(err, context.Canceled) {
			return fmt.Errorf("second wait: %d, %v; want -1, Canceled (one token only)", i, err)
		}
		return nil
	})
}

func TestSignalFirstErrorWins(t *testing.T) {
	both(t, func(rt *Runtime) error {
		sg := rt.NewSignal("sig")
		if sg.Err() != nil || sg.IsSet() {
			return errors.New("new signal is set")
		}
		a, b := errors.New("a"), errors.New("b")
		g := rt.NewGroup("g")
		g.Go("setter", func() { sg.Set(a) })
		_ = rt.Wait(context.Background(), sg.Done())
		won := sg.Set(b)
		g.Wait()
		if won || sg.Err() != a || !sg.IsSet() {
			return fmt.Errorf("second set won=%v, err %v", won, sg.Err())
		}
		return nil
	})
}

func TestSelectReturnsReadyOrContext(t *testing.T) {
	both(t, func(rt *Runtime) error {
		a, b := rt.NewEvent("a"), rt.NewEvent("b")
		b.Fire()
		if i, err := rt.Select(context.Background(), a, b); i != 1 || err != nil {
			return fmt.Errorf("select: %d, %v; want 1", i, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		g := rt.NewGroup("g")
		g.Go("canceller", cancel)
		i, err := rt.Select(ctx, a, rt.NewEvent("c"), rt.NewEvent("d"), rt.NewEvent("e"))
		g.Wait()
		if i != -1 || !errors.Is(err, context.Canceled) {
			return fmt.Errorf("cancelled select: %d, %v", i, err)
		}
		return nil
	})
}

func TestTimersAndSleep(t *testing.T) {
	both(t, func(rt *Runtime) error {
		start := rt.Now()
		if err := rt.Sleep(context.Background(), 20*time.Millisecond); err != nil {
			return err
		}
		if d := rt.Since(start); d < 20*time.Millisecond {
			return fmt.Errorf("slept %v", d)
		}
		stopped := rt.NewTimer(time.Hour)
		if !stopped.Stop() || stopped.Stop() {
			return errors.New("Stop of a pending timer")
		}
		fired := rt.NewEvent("fired")
		rt.AfterFunc(time.Millisecond, func() { fired.Fire() })
		if err := rt.Wait(context.Background(), rt.After(5*time.Millisecond)); err != nil {
			return err
		}
		if err := rt.Wait(context.Background(), fired); err != nil {
			return err
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := rt.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
			return fmt.Errorf("cancelled sleep: %v", err)
		}
		return nil
	})
}

func TestDeadlineContexts(t *testing.T) {
	both(t, func(rt *Runtime) error {
		ctx, cancel := rt.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		child, cancelChild := context.WithCancel(ctx)
		defer cancelChild()
		if _, ok := ctx.Deadline(); !ok {
			return errors.New("no deadline")
		}
		if err := rt.Wait(child, rt.NewEvent("never")); !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("child ended with %v, want DeadlineExceeded", err)
		}
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) || !errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
			return fmt.Errorf("parent err %v cause %v", ctx.Err(), context.Cause(ctx))
		}
		// A deadline context under a plain cancellable parent follows the parent.
		parent, cancelParent := context.WithCancel(context.Background())
		dl, cancelDL := rt.WithTimeout(parent, time.Hour)
		defer cancelDL()
		g := rt.NewGroup("g")
		g.Go("canceller", cancelParent)
		err := rt.Wait(dl, rt.NewEvent("never"))
		g.Wait()
		if !errors.Is(err, context.Canceled) {
			return fmt.Errorf("deadline context under a cancelled parent: %v", err)
		}
		// cancel of the deadline context itself.
		own, cancelOwn := rt.WithTimeout(context.Background(), time.Hour)
		cancelOwn()
		if !errors.Is(own.Err(), context.Canceled) {
			return fmt.Errorf("own cancel: %v", own.Err())
		}
		return nil
	})
}

// TestRandStreamsAreSeeded checks that streams depend on the seed and the name only.
func TestRandStreamsAreSeeded(t *testing.T) {
	draw := func(seed uint64, name string) (out [4]int) {
		o := Options{}
		o.Seed = seed
		Run(o, func(rt *Runtime) {
			r := rt.Rand(name)
			for i := range out {
				out[i] = r.IntN(1 << 30)
			}
		})
		return out
	}
	if first, again := draw(1, "a"), draw(1, "a"); first != again {
		t.Fatal("same seed and name, different draws")
	}
	if draw(1, "a") == draw(2, "a") || draw(1, "a") == draw(1, "b") {
		t.Fatal("different seeds or names, same draws")
	}
}

// TestFaultPoints checks the BUGGIFY contract: off under the real runtime and when
// disabled, always considered with Only, recorded in the trace when fired.
func TestFaultPoints(t *testing.T) {
	if Real().Fault("x") {
		t.Fatal("real runtime injected a fault")
	}
	count := func(f Faults, seed uint64) (fired int, notes int) {
		o := Options{Faults: f}
		o.Seed, o.Log = seed, true
		v := Run(o, func(rt *Runtime) {
			for range 100 {
				if rt.Fault("site") {
					fired++
				}
			}
		})
		for _, e := range v.Events {
			if e.Kind == scheduler.EvNote && e.Text == "fault site" {
				notes++
			}
		}
		return fired, notes
	}
	if n, _ := count(Faults{Off: true}, 1); n != 0 {
		t.Fatalf("faults off: %d fired", n)
	}
	n, notes := count(Faults{Only: []string{"site"}, Fire: 0.5}, 1)
	if n < 30 || n > 70 || notes != n {
		t.Fatalf("only site at 0.5: %d fired, %d in the trace", n, notes)
	}
	enabled := 0
	for seed := uint64(1); seed <= 200; seed++ {
		if n, _ := count(Faults{}, seed); n > 0 {
			enabled++
		}
	}
	if enabled < 25 || enabled > 75 { // the site is enabled in about a quarter of runs
		t.Fatalf("default profile enabled the site in %d of 200 runs", enabled)
	}
}

// TestAssertions checks Always, Unreachable and the Sometimes coverage report.
func TestAssertions(t *testing.T) {
	v := Run(Options{}, func(rt *Runtime) { rt.Always(1+1 == 3, "arithmetic") })
	if v.OK() || v.Failure.Kind != scheduler.FailAssert || !strings.Contains(v.Failure.Message, "arithmetic") {
		t.Fatalf("Always(false): %v", v.Failure)
	}
	v = Run(Options{}, func(rt *Runtime) { rt.Unreachable("here") })
	if v.OK() || !strings.Contains(v.Failure.Message, "unreachable: here") {
		t.Fatalf("Unreachable: %v", v.Failure)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("real Always(false) did not panic")
			}
		}()
		Real().Always(false, "real")
	}()
	cov := &Coverage{}
	for seed := uint64(1); seed <= 10; seed++ {
		o := Options{Coverage: cov}
		o.Seed = seed
		Run(o, func(rt *Runtime) {
			rt.Sometimes(rt.Rand("x").IntN(2) == 0, "coin")
			rt.Sometimes(false, "never")
		})
	}
	if u := cov.Unexplored(); len(u) != 1 || u[0] != "never" {
		t.Fatalf("unexplored %v, want [never]", u)
	}
}

// TestEventTailNamesTheMutex: the goal is that the last events of a failed run say what
// a task blocked on, by name and without the state at the end of the run, as the task
// table does. A lock-order deadlock on two named mutexes is forced by seed search.
func TestEventTailNamesTheMutex(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		v := Run(Options{Seed: seed, Strategy: Random}, func(rt *Runtime) {
			pool, conn := rt.NewMutex("pool"), rt.NewMutex("conn")
			g := rt.NewGroup("lockers")
			//lint:ignore SA2001 taking the second lock is the point; nothing happens inside
			g.Go("pc", func() { pool.Lock(); rt.Yield(); conn.Lock(); conn.Unlock(); pool.Unlock() })
			//lint:ignore SA2001 taking the second lock is the point; nothing happens inside
			g.Go("cp", func() { conn.Lock(); rt.Yield(); pool.Lock(); pool.Unlock(); conn.Unlock() })
			g.Wait()
		})
		if v.OK() {
			continue
		}
		rep := v.Report()
		for _, want := range []string{`"pc" blocks on mutex "conn"#`, `"cp" blocks on mutex "pool"#`} {
			if !strings.Contains(rep, want) {
				t.Fatalf("seed %d: the event tail lacks %q:\n%s", seed, want, rep)
			}
		}
		for _, line := range strings.Split(rep, "\n") {
			if strings.Contains(line, " blocks on ") && strings.Contains(line, "held by") {
				t.Fatalf("seed %d: an event describes the mutex as the run ended: %s", seed, line)
			}
		}
		return
	}
	t.Fatal("no seed of 50 deadlocked")
}

// TestRandKeepsItsStream checks that asking again for a name continues its stream: five
// calls of rt.Rand("x") draw five values of one stream, not the same first value.
func TestRandKeepsItsStream(t *testing.T) {
	var again, once [5]uint64
	Run(Options{}, func(rt *Runtime) {
		for i := range again {
			again[i] = rt.Rand("x").Uint64()
		}
	})
	Run(Options{}, func(rt *Runtime) {
		r := rt.Rand("x")
		for i := range once {
			once[i] = r.Uint64()
		}
	})
	if again != once {
		t.Fatalf("repeated Rand(\"x\") drew %v, one stream draws %v", again, once)
	}
	// NewRand starts the stream afresh each time, and the run keeps nothing.
	var fresh [2]uint64
	Run(Options{}, func(rt *Runtime) {
		fresh[0], fresh[1] = rt.NewRand("x").Uint64(), rt.NewRand("x").Uint64()
	})
	if fresh[0] != once[0] || fresh[1] != once[0] {
		t.Fatalf("NewRand(\"x\") twice drew %v, want %v twice", fresh, once[0])
	}
}
