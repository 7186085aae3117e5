package sim

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
)

// The owner check of Group (scheduler.Join's rule). Goal: a task that outlives the task
// that made its group, with no Wait after it, fails the run with the orphan verdict,
// naming both tasks and where the group was made; the legitimate patterns (the owner
// waits; the group is handed to another task that waits, even after the owner has
// ended) pass. Method: each case runs for seeds 1-50 on both batons, so that every
// interleaving of the owner's exit with its tasks' that the schedules reach is seen.

// orphanCase is one pattern and whether it must fail.
type orphanCase struct {
	name   string
	orphan bool // the run must fail with FailOrphan
	body   func(rt *Runtime)
}

var orphanCases = []orphanCase{
	{"owner returns without waiting", true, func(rt *Runtime) {
		done := rt.NewEvent("done")
		owner := rt.NewGroup("outer")
		owner.Go("owner", func() {
			g := rt.NewGroup("inner")
			g.Go("worker", func() { _ = rt.Wait(context.Background(), done) })
		})
		owner.Wait()
		done.Fire() // the worker ends after its owner has: nobody waits for it
	}},
	{"main returns without waiting", true, func(rt *Runtime) {
		g := rt.NewGroup("inner")
		g.Go("worker", func() { _ = rt.Sleep(context.Background(), 1) }) // main returns before time moves
	}},
	{"task started after the owner's wait", true, func(rt *Runtime) {
		var inner *Group
		waited, started := rt.NewEvent("waited"), rt.NewEvent("started")
		outer := rt.NewGroup("outer")
		outer.Go("owner", func() {
			inner = rt.NewGroup("inner")
			inner.Wait()
			waited.Fire()
			_ = rt.Wait(context.Background(), started)
		})
		outer.Go("adder", func() {
			_ = rt.Wait(context.Background(), waited)
			inner.Go("late worker", func() { _ = rt.Sleep(context.Background(), 1) }) // alive past the owner's exit
			started.Fire()
		})
		outer.Wait()
	}},
	{"owner waits", false, func(rt *Runtime) {
		g := rt.NewGroup("inner")
		for i := range 3 {
			g.Go(fmt.Sprint("worker ", i), func() { rt.Yield() })
		}
		g.Wait()
	}},
	{"owner ends first, another task waits", false, func(rt *Runtime) {
		// A connection made by one task and closed, with its Wait, by another.
		var handed *Group
		stop := rt.NewEvent("stop")
		outer := rt.NewGroup("outer")
		outer.Go("maker", func() {
			handed = rt.NewGroup("inner")
			handed.Go("reader", func() { _ = rt.Wait(context.Background(), stop) })
			handed.Go("writer", func() { rt.Yield() })
		})
		outer.Wait()
		stop.Fire()
		rt.Yield()
		handed.Wait()
	}},
	{"another task waits while the owner ends", false, func(rt *Runtime) {
		made := rt.NewEvent("made")
		var handed *Group
		outer := rt.NewGroup("outer")
		outer.Go("maker", func() {
			handed = rt.NewGroup("inner")
			handed.Go("worker", func() { _ = rt.Sleep(context.Background(), 1) })
			made.Fire()
		})
		outer.Go("closer", func() {
			_ = rt.Wait(context.Background(), made)
			handed.Wait()
		})
		outer.Wait()
	}},
	{"tasks that end before the owner", false, func(rt *Runtime) {
		g := rt.NewGroup("inner")
		g.Go("worker", func() {})
		_ = rt.Sleep(context.Background(), 1) // the worker has ended; the owner never waits, and need not
	}},
}

func TestGroupOwner(t *testing.T) {
	for _, c := range orphanCases {
		t.Run(c.name, func(t *testing.T) {
			for _, b := range []scheduler.Baton{scheduler.BatonCoroutine, scheduler.BatonChannel} {
				for seed := uint64(1); seed <= 50; seed++ {
					o := Options{}
					o.Seed, o.Baton = seed, b
					v := Run(o, c.body)
					switch {
					case !c.orphan && !v.OK():
						t.Fatalf("%v seed %d: want a pass:\n%s", b, seed, v.Report())
					case c.orphan && (v.OK() || v.Failure.Kind != scheduler.FailOrphan):
						t.Fatalf("%v seed %d: want an orphan verdict, got %v", b, seed, v.Failure)
					}
				}
			}
		})
	}
}

// TestGroupOrphanReport checks what the orphan verdict says: the task that outlived its
// owner and the owner, by ID and name, the group's name and where it was made.
func TestGroupOrphanReport(t *testing.T) {
	v := Run(Options{Seed: 1}, orphanCases[0].body)
	if v.OK() {
		t.Fatal("want an orphan verdict, the run passed")
	}
	f := v.Failure
	// Tasks: 1 main, 2 "owner", 3 "worker".
	for _, want := range []string{`task 3 "worker" (spawned at sim/group_test.go:`, `outlived its group's owner task 2 "owner"`,
		`group "inner" made at sim/group_test.go:`, "no Wait on the group followed"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message lacks %q:\n%s", want, f.Message)
		}
	}
	if f.Kind.String() != "orphan" || f.Task != 3 || f.TaskName != "worker" {
		t.Errorf("kind %v task %d %q, want orphan, task 3 \"worker\"", f.Kind, f.Task, f.TaskName)
	}
}
