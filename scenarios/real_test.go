package scenarios

import (
	"testing"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// TestRealRuntime checks simulation against reality: every stress-style scenario, with
// the invariants it checks under simulation, also holds on real goroutines over loopback
// TCP (three runs each, one with -short). A failure here that no seed reproduces points
// at a difference between the simulated and the real runtime or network.
func TestRealRuntime(t *testing.T) {
	runs := 3
	if testing.Short() {
		runs = 1
	}
	real := RealOnes()
	if len(real) < 10 {
		t.Fatalf("only %d stress-style scenarios run for real; the cockroach tests alone are ten", len(real))
	}
	hung := "" // the first scenario that hung: its goroutines are still blocked
	for _, sc := range real {
		t.Run(sc.Name, func(t *testing.T) {
			if hung != "" {
				t.Fatalf("not run: %s hung before it, and its goroutines are still blocked\nrerun: go test ./scenarios -run 'TestRealRuntime/%s$' -count=1", hung, sc.Name)
			}
			deadline, _ := t.Deadline() // report a hang before go test's -timeout does
			for i := range runs {
				if v := sc.RunReal(sim.RealOptions{Deadline: deadline}); !v.OK() {
					if v.Failure.Kind == scheduler.FailDeadlock {
						hung = sc.Name
					}
					t.Fatalf("real run %d: %s\n%s\nrerun: go run ./cmd/simrun -real -scenario %s -seeds 1-100", i+1, v.Failure, v.Failure.Stack, sc.Name)
				}
			}
		})
	}
}
