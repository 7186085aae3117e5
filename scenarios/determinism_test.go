package scenarios

import (
	"fmt"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

func opts(seed uint64, st string, b scheduler.Baton) RunOptions {
	var o RunOptions
	o.Seed = seed
	o.Baton = b
	var err error
	if o.Strategy, err = sim.ParseStrategy(st); err != nil {
		panic(err)
	}
	return o
}

// TestDeterminism is the determinism meta-test: every scenario, canaries included, for
// seeds 1-50, run twice, gives equal hashes and verdicts; and different seeds explore
// different schedules.
func TestDeterminism(t *testing.T) {
	for _, sc := range All() {
		t.Run(sc.Name, func(t *testing.T) {
			distinct := map[uint64]bool{}
			for seed := uint64(1); seed <= 50; seed++ {
				a := sc.Run(opts(seed, "portfolio", scheduler.BatonCoroutine))
				b := sc.Run(opts(seed, "portfolio", scheduler.BatonCoroutine))
				if a.Hash != b.Hash || a.Steps != b.Steps || a.OK() != b.OK() {
					t.Fatalf("seed %d: %016x/%d/%v then %016x/%d/%v; replay: go run ./cmd/simrun -canaries -scenario %s -seed %d -check-determinism",
						seed, a.Hash, a.Steps, a.OK(), b.Hash, b.Steps, b.OK(), sc.Name, seed)
				}
				distinct[a.Hash] = true
			}
			// Fifty seeds give many schedules even for the smallest canary (two tasks, three
			// increments each: 23 distinct); a scheduler that ignored its seed would give one.
			if len(distinct) < 15 {
				t.Fatalf("50 seeds gave %d distinct hashes", len(distinct))
			}
		})
	}
}

// TestBatonsAgree checks that the coroutine and channel batons produce identical traces
// for every scenario over seeds 1-200, so a seed found by a fast sweep replays under -race.
func TestBatonsAgree(t *testing.T) {
	seeds := uint64(200)
	if testing.Short() {
		seeds = 40
	}
	for _, sc := range All() {
		t.Run(sc.Name, func(t *testing.T) {
			if scheduler.RaceEnabled && sc.Name == "canary-unsynced-counter" {
				t.Skip("its planted data race is what the detector must report (TestRaceDetector)")
			}
			for seed := uint64(1); seed <= seeds; seed++ {
				a := sc.Run(opts(seed, "portfolio", scheduler.BatonCoroutine))
				b := sc.Run(opts(seed, "portfolio", scheduler.BatonChannel))
				if a.Hash != b.Hash || a.OK() != b.OK() {
					t.Fatalf("seed %d: coroutine %016x ok=%v, channel %016x ok=%v; replay: go run ./cmd/simrun -canaries -scenario %s -seed %d -baton chan",
						seed, a.Hash, a.OK(), b.Hash, b.OK(), sc.Name, seed)
				}
			}
		})
	}
}

// TestDefaultCatalogueGreen sweeps the default catalogue: it must pass for every seed. In
// a -race build it runs 30 seeds (a run costs about ten times as much), with the
// race-preserving baton: a data race in scenario or engine code fails the test there.
func TestDefaultCatalogueGreen(t *testing.T) {
	seeds := uint64(300)
	if scheduler.RaceEnabled {
		seeds = 30
	}
	for _, sc := range Default() {
		for seed := uint64(1); seed <= seeds; seed++ {
			if v := sc.Run(opts(seed, "portfolio", scheduler.BatonDefault)); !v.OK() {
				t.Fatalf("%s seed %d:\n%s\nreplay: go run ./cmd/simrun -scenario %s -seed %d", sc.Name, seed, v.Report(), sc.Name, seed)
			}
		}
	}
}

// TestCanariesAreFound measures the tester: each canary must fail, with the kind of
// failure it plants, within a bounded number of seeds under the strategy that fits it,
// and its first failing seed must replay with the same hash.
func TestCanariesAreFound(t *testing.T) {
	cases := []struct {
		name, strategy string
		kind           scheduler.FailKind
		within         uint64
	}{
		{"canary-lost-update", "random", scheduler.FailAssert, 20},
		{"canary-ordering", "pct", scheduler.FailAssert, 50},
		{"canary-ordering", "pct1", scheduler.FailAssert, 20},
		{"canary-lock-order", "random", scheduler.FailDeadlock, 60},
		{"canary-cond-no-loop", "random", scheduler.FailAssert, 200},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%s", c.name, c.strategy), func(t *testing.T) {
			sc := Lookup(c.name)
			for seed := uint64(1); seed <= c.within; seed++ {
				v := sc.Run(opts(seed, c.strategy, scheduler.BatonDefault))
				if v.OK() {
					continue
				}
				if v.Failure.Kind != c.kind {
					t.Fatalf("seed %d failed with %v, want %v:\n%s", seed, v.Failure.Kind, c.kind, v.Report())
				}
				again := sc.Run(opts(seed, c.strategy, scheduler.BatonDefault))
				if again.Hash != v.Hash || again.OK() {
					t.Fatalf("seed %d does not replay: %016x then %016x", seed, v.Hash, again.Hash)
				}
				return
			}
			t.Fatalf("not found in %d seeds; try: go run ./cmd/simrun -canaries -scenario %s -seeds 1-1000 -strategy %s", c.within, c.name, c.strategy)
		})
	}
}

// TestRandomWalkMissesTheOrderingBug documents why PCT exists: a uniform random walk does
// not get the observer past a 30-step prefix in 200 seeds.
func TestRandomWalkMissesTheOrderingBug(t *testing.T) {
	sc := Lookup("canary-ordering")
	for seed := uint64(1); seed <= 200; seed++ {
		if v := sc.Run(opts(seed, "random", scheduler.BatonDefault)); !v.OK() {
			t.Fatalf("random walk found the ordering bug at seed %d; the canary no longer measures what it should", seed)
		}
	}
}
