package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/muxsim/muxsim/scheduler"
)

// TestRunRealHangReport: a run that never ends is a deadlock after its Timeout, and its
// failure carries the stacks of the main task and of the tasks it started, and State's
// answer. Method: a main task and a task it started both wait on an event nothing fires.
func TestRunRealHangReport(t *testing.T) {
	start := time.Now()
	nevers := make(chan *Event, 1)
	v := RunReal(RealOptions{Timeout: 300 * time.Millisecond, State: func() string { return "test state: waiting on never" }},
		func(rt *Runtime) {
			never := rt.NewEvent("never")
			nevers <- never
			rt.Go("helper", func() { waitNeverHelper(rt, never) })
			waitNeverMain(rt, never)
		})
	defer (<-nevers).Fire() // ends the abandoned tasks, for TestMain's leak check
	if v.Failure == nil || v.Failure.Kind != scheduler.FailDeadlock {
		t.Fatalf("want a deadlock, got %v", v.Failure)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the run took %v, past its 300ms timeout", d)
	}
	for _, want := range []string{"sim.waitNeverMain(", "sim.waitNeverHelper(", "state of the code under test:\ntest state: waiting on never"} {
		if !strings.Contains(v.Failure.Stack, want) {
			t.Errorf("the failure's stack lacks %q:\n%s", want, v.Failure.Stack)
		}
	}
	if strings.Contains(v.Failure.Stack, "sim.TestRunRealHangReport(") {
		t.Errorf("the dump shows the goroutine that called RunReal:\n%s", v.Failure.Stack)
	}
}

func waitNeverMain(rt *Runtime, ev *Event)   { _ = rt.Wait(context.Background(), ev) }
func waitNeverHelper(rt *Runtime, ev *Event) { _ = rt.Wait(context.Background(), ev) }
