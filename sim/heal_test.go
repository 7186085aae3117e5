package sim

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/muxsim/muxsim/scheduler"
)

// TestHealStopsFaultPoints checks that Heal ends the fault phase: a site enabled to fire
// every time fires before the heal and never after it, the faults refused after it are
// neither numbered nor logged, and Healed reports the change.
func TestHealStopsFaultPoints(t *testing.T) {
	var log FaultLog
	var before, after int
	var healedBefore, healedAfter bool
	opts := Options{Seed: 1, FaultLog: &log, Faults: Faults{Only: []string{"x.site"}, Fire: 1}}
	v := Run(opts, func(rt *Runtime) {
		healedBefore = rt.Healed()
		for range 5 {
			if rt.Fault("x.site") {
				before++
			}
		}
		rt.Heal(time.Second)
		healedAfter = rt.Healed()
		for range 5 {
			if rt.Fault("x.site") {
				after++
			}
		}
	})
	if !v.OK() {
		t.Fatal(v.Report())
	}
	if before != 5 || after != 0 {
		t.Errorf("the site fired %d times of 5 before the heal and %d of 5 after, want 5 and 0", before, after)
	}
	if healedBefore || !healedAfter {
		t.Errorf("Healed() was %v before the heal and %v after, want false and true", healedBefore, healedAfter)
	}
	if len(log.Sites) != 5 {
		t.Errorf("the fault log has %d faults, want the 5 drawn before the heal: %v", len(log.Sites), log.Sites)
	}
	if Real().Healed() {
		t.Error("the real runtime reports healed")
	}
	Real().Heal(time.Second) // does nothing, and must not panic
}

// TestHealIsDeterministic checks that a healed run replays with its hash, and that the
// heal is in the trace: the same run without it hashes differently. (That a healed fault
// source still makes its draws is checked in simnet, whose connections share a stream
// between faults and split sizes.)
func TestHealIsDeterministic(t *testing.T) {
	body := func(heal bool) func(rt *Runtime) {
		return func(rt *Runtime) {
			for i := range 20 {
				if heal && i == 10 {
					rt.Heal(time.Second)
				}
				_ = rt.Fault("x.site")
				_ = rt.Sleep(context.Background(), time.Millisecond)
			}
		}
	}
	opts := Options{Seed: 7, Faults: Faults{Only: []string{"x.site"}, Fire: 0.5}}
	vp, vh, va := Run(opts, body(false)), Run(opts, body(true)), Run(opts, body(true))
	for _, v := range []*Verdict{vp, vh, va} {
		if !v.OK() {
			t.Fatal(v.Report())
		}
	}
	if vh.Hash != va.Hash {
		t.Errorf("a healed run gave hashes %x and %x", vh.Hash, va.Hash)
	}
	if vh.Hash == vp.Hash {
		t.Errorf("healing did not change the trace (hash %x): the heal and the withheld faults should be in it", vh.Hash)
	}
}

// TestLivenessBound checks the bound Heal sets: a run whose tasks all exit within it
// passes, at the time its last task ended (the bound's timer never fires); one with a
// task still sleeping, or blocked for good, at the bound fails with FailLiveness, naming
// the heal, the task and what it waits on, at the bound's instant.
func TestLivenessBound(t *testing.T) {
	run := func(work func(rt *Runtime)) *Verdict {
		return Run(Options{Seed: 3, TimeJitter: JitterOff}, func(rt *Runtime) {
			_ = rt.Sleep(context.Background(), time.Second)
			rt.Heal(5 * time.Second)
			g := rt.NewGroup("workers")
			g.Go("worker", func() { work(rt) })
			g.Wait()
		})
	}
	t.Run("finishes", func(t *testing.T) {
		v := run(func(rt *Runtime) { _ = rt.Sleep(context.Background(), 4*time.Second) })
		if !v.OK() {
			t.Fatal(v.Report())
		}
		if v.Time != 5*time.Second {
			t.Errorf("the run ended at t=%v, want 5s: its last task's end, not the bound's", v.Time)
		}
	})
	for _, tc := range []struct {
		name    string
		work    func(rt *Runtime)
		waiting string
	}{
		{"too-slow", func(rt *Runtime) { _ = rt.Sleep(context.Background(), 6*time.Second) }, `event "timer"`},
		{"stuck", func(rt *Runtime) { _ = rt.Wait(context.Background(), rt.NewEvent("never")) }, `event "never"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := run(tc.work)
			if v.OK() || v.Failure.Kind != scheduler.FailLiveness {
				t.Fatalf("want a liveness verdict, got: %s", v.Report())
			}
			msg := v.Failure.Message
			for _, want := range []string{"not finished 5s of virtual time after the heal at t=1s", "still alive: 2 tasks", `"main" blocked`, `"worker" blocked on ` + tc.waiting} {
				if !strings.Contains(msg, want) {
					t.Errorf("the message lacks %q: %s", want, msg)
				}
			}
			if v.Time != 6*time.Second {
				t.Errorf("the liveness verdict is at t=%v, want the bound's 6s", v.Time)
			}
			if v.Failure.Kind.String() != "liveness" {
				t.Errorf("the kind prints as %q, want liveness", v.Failure.Kind)
			}
		})
	}
}

// TestLivenessNamesAtMost checks that a liveness message names a bounded number of
// tasks and counts the rest; the verdict's task list still has every one.
func TestLivenessNamesAtMost(t *testing.T) {
	v := Run(Options{Seed: 1}, func(rt *Runtime) {
		rt.Heal(time.Second)
		g := rt.NewGroup("stuck")
		for i := range 10 {
			g.Go(fmt.Sprintf("stuck-%d", i), func() { _ = rt.Wait(context.Background(), rt.NewEvent("never")) })
		}
		g.Wait()
	})
	if v.OK() || v.Failure.Kind != scheduler.FailLiveness {
		t.Fatalf("want a liveness verdict, got: %s", v.Report())
	}
	if msg := v.Failure.Message; !strings.Contains(msg, "11 tasks:") || !strings.Contains(msg, "; and 3 more") || strings.Contains(msg, "stuck-7") {
		t.Errorf("want 8 of 11 tasks named and 3 counted: %s", msg)
	}
	if len(v.Tasks) != 11 {
		t.Errorf("the verdict lists %d tasks, want 11", len(v.Tasks))
	}
}

// TestHealMisuse checks that a second heal and a bound that is not positive fail the run
// as the scenario's bugs they are.
func TestHealMisuse(t *testing.T) {
	for name, body := range map[string]func(rt *Runtime){
		"twice": func(rt *Runtime) { rt.Heal(time.Second); rt.Heal(time.Second) },
		"zero":  func(rt *Runtime) { rt.Heal(0) },
	} {
		v := Run(Options{Seed: 1}, body)
		if v.OK() || v.Failure.Kind != scheduler.FailAssert || !strings.Contains(v.Failure.Message, "heal:") {
			t.Errorf("%s: want an assert verdict from heal, got: %s", name, v.Report())
		}
	}
}
