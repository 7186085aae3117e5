package scenarios

import (
	"flag"
	"runtime"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

var (
	soakSeed = flag.Uint64("soak.seed", 1, "seed of TestSoakMemory's simulated hour")
	soakFor  = flag.Duration("soak.real", 20*time.Second, "wall time of TestSoakReal's calls")
)

// TestSoakMemory checks that a long run holds flat memory (issue #9: "the soak run's peak
// heap at its end is within 10% of its peak at a tenth of the way"). Method: run the full
// simulated soak, one virtual hour, for one seed; at its start and at each of its 100
// checkpoints collect garbage and read HeapAlloc. The run's heap is HeapAlloc above the
// start's, so that the package's other globals do not dilute it, and its peak at a
// checkpoint is the most sampled up to there: the end peak must be at most 1.10 times the
// peak at 10%. The sampling runs outside the runtime's view, so the seed is then run
// again without it: equal steps and hash show both that the soak is deterministic and
// that sampling did not change the schedule.
func TestSoakMemory(t *testing.T) {
	size := soakFull()
	var base, peak uint64
	peaks := make([]uint64, size.samples+1) // peaks[i]: the run's most heap at checkpoints 0..i
	size.checkpoint = func(i int) {
		var ms runtime.MemStats
		runtime.GC() // twice: the first only moves sync.Pool contents (fmt's) to the victim cache
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if i == 0 {
			base = ms.HeapAlloc
		}
		peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
		peaks[i] = peak
	}
	warmGoroutines(soakGoroutinesWarm)
	start := time.Now()
	sampled, tally := soakRun(t, size)
	wall := time.Since(start)
	tenth, end := peaks[size.samples/10], peaks[size.samples]
	t.Logf("seed %d: %v virtual in %v wall (sampling included), %d steps, %d tasks; %+v",
		*soakSeed, sampled.Time, wall, sampled.Steps, len(sampled.Names), tally)
	t.Logf("the run's peak heap (HeapAlloc above the %d B at its start): %d B at 10%%, %d B at the end (%.3fx)",
		base, tenth, end, float64(end)/float64(tenth))
	if float64(end) > 1.10*float64(tenth) {
		t.Errorf("the heap grew: peak %d B at the end, more than 1.10 x the %d B peak at 10%%; replay: %s", end, tenth, soakReplay())
	}
	start = time.Now()
	plain, _ := soakRun(t, soakFull())
	t.Logf("the same seed without sampling: %v wall", time.Since(start))
	if plain.Hash != sampled.Hash || plain.Steps != sampled.Steps {
		t.Fatalf("sampled run %016x/%d steps, plain run %016x/%d steps; replay: %s", sampled.Hash, sampled.Steps, plain.Hash, plain.Steps, soakReplay())
	}
}

// soakGoroutinesWarm is how many goroutines TestSoakMemory has the Go runtime make before
// the soak, well above the soak's peak of concurrent tasks (about 100).
const soakGoroutinesWarm = 2000

// warmGoroutines starts n goroutines and waits for them to exit. The Go runtime never frees
// a goroutine's descriptor: it keeps it for reuse, so a run whose tasks reach a new peak
// of concurrency late allocates new ones (about 400 B each, 10-15 KB over a soak) that
// would read as growth. After this, the run's tasks reuse descriptors the runtime holds.
func warmGoroutines(n int) {
	var wg sync.WaitGroup
	release := make(chan struct{})
	for range n {
		wg.Go(func() { <-release })
	}
	close(release)
	wg.Wait()
}

// soakRun runs the simulated soak at size for -soak.seed and fails the test unless it
// passes.
func soakRun(t *testing.T, size soakSize) (*sim.Verdict, soakTally) {
	t.Helper()
	var tally soakTally
	v := sim.Run(opts(*soakSeed, "portfolio", scheduler.BatonDefault).Options, func(rt *sim.Runtime) { tally = muxSoak(rt, size) })
	if !v.OK() {
		t.Fatalf("soak failed:\n%s\nreplay: %s", v.Report(), soakReplay())
	}
	return v, tally
}

func soakReplay() string {
	return "go test ./scenarios/ -run TestSoakMemory -v -soak.seed " + flagValue("soak.seed")
}

func flagValue(name string) string { return flag.Lookup(name).Value.String() }

// TestSoakReal runs the soak's workload on real goroutines over loopback TCP for
// -soak.real of wall time (default 20 s; skipped with -short), with the same invariants:
// exact results, failures only of documented classes, a server that lets go of every
// stream and connection, and no goroutine left behind. Loopback TCP injects no faults, so
// the failures here are the calls' own cancels and deadlines; links that break are the
// simulated soak's part.
func TestSoakReal(t *testing.T) {
	if testing.Short() {
		t.Skip("a 20 s soak over loopback TCP")
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	size := soakRealSize(*soakFor)
	var tally soakTally
	deadline, _ := t.Deadline()
	v := sim.RunReal(sim.RealOptions{Timeout: size.span + time.Minute, Deadline: deadline}, func(rt *sim.Runtime) { tally = muxSoak(rt, size) })
	if !v.OK() {
		t.Fatalf("real soak failed: %s\n%s\nrerun: go test ./scenarios/ -run TestSoakReal -v -soak.real %s", v.Failure, v.Failure.Stack, flagValue("soak.real"))
	}
	t.Logf("%v wall: %+v", v.Time, tally)
	if tally.ok == 0 {
		t.Fatalf("no call succeeded in %v over loopback TCP: %+v", v.Time, tally)
	}
}
