package scenarios

import (
	"testing"

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
	for _, sc := range real {
		t.Run(sc.Name, func(t *testing.T) {
			for i := range runs {
				if v := sc.RunReal(sim.RealOptions{}); !v.OK() {
					t.Fatalf("real run %d: %s\n%s\nrerun: go run ./cmd/simrun -real -scenario %s -seeds 1-100", i+1, v.Failure, v.Failure.Stack, sc.Name)
				}
			}
		})
	}
}
