package runfile

import (
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// TestDivergence checks that the report of two event logs that differ names the run, the
// step and the first differing event, and shows it from both runs.
func TestDivergence(t *testing.T) {
	ev := func(step uint64, task scheduler.TaskID, text string) scheduler.Event {
		return scheduler.Event{Kind: scheduler.EvNote, Step: step, Task: task, Text: text}
	}
	a := &sim.Verdict{Names: []string{"main", "t2"}, Events: []scheduler.Event{ev(1, 1, "x"), ev(4, 2, "start a"), ev(5, 1, "y")}}
	b := &sim.Verdict{Names: []string{"main", "t2"}, Events: []scheduler.Event{ev(1, 1, "x"), ev(4, 2, "start c"), ev(5, 1, "y")}}
	d := Divergence(a, b, 2, 2)
	if !strings.Contains(d, "run 2 of 2 differs from run 1 at step 4 (event 2)") || !strings.Contains(d, "> ") ||
		!strings.Contains(d, "start c") || !strings.Contains(d, "start a") {
		t.Fatalf("divergence report:\n%s", d)
	}
}
