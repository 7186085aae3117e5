package simrapid_test

import (
	"flag"
	"testing"

	"pgregory.net/rapid"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/simrapid"
)

// The cost of a decision drawn from rapid, next to the same run under the random walk:
//
//	go test ./sim/simrapid -run '^$' -bench . -count 5
//
// Each run spins three tasks through b.N scheduling points (three candidates each).

// spin returns a body whose three tasks reach n scheduling points in all.
func spin(n int) func(rt *sim.Runtime) {
	return func(rt *sim.Runtime) {
		g := rt.NewGroup("spinners")
		for range 3 {
			g.Go("spinner", func() {
				for range n / 3 {
					rt.Yield()
				}
			})
		}
		g.Wait()
	}
}

// BenchmarkDecision: random walk, a replayed tape, and rapid with the default
// DepartEvery (most draws are one coin) and with uniform draws (DepartEvery 1).
func BenchmarkDecision(b *testing.B) {
	b.Run("random", func(b *testing.B) {
		var o sim.Options
		o.Strategy.Kind = scheduler.Random
		o.Watchdog = -1
		sim.Run(o, spin(b.N))
	})
	b.Run("tape-list", func(b *testing.B) {
		tape := make(simrapid.Tape, b.N)
		for i := range tape {
			tape[i] = i % 3
		}
		simrapid.Replay(sim.Options{Watchdog: -1}, tape, spin(b.N))
	})
	b.Run("tape-rapid", func(b *testing.B) { benchRapid(b, 0) })
	b.Run("tape-rapid-uniform", func(b *testing.B) { benchRapid(b, 1) })
}

// benchRapid runs spin once under rapid (one check), drawing every decision.
func benchRapid(b *testing.B, departEvery int) {
	old := flag.Lookup("rapid.checks").Value.String()
	_ = flag.Set("rapid.checks", "1")
	defer flag.Set("rapid.checks", old)
	rapid.Check(b, func(t *rapid.T) {
		o := simrapid.Options{MaxDraws: b.N + 100, DepartEvery: departEvery}
		o.Watchdog = -1
		v, _ := simrapid.Run(t, o, spin(b.N))
		simrapid.Check(t, v, nil)
	})
}
