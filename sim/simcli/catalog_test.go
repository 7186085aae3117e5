package simcli

import (
	"bytes"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
)

// The test catalogue: scenarios small enough to reason about, each planted for one of
// the command's features, and a known-bug switch of its own.

// plantedBug is the test's known bug: on, the counter notes an extra event, which changes
// every hash, so a replay command that forgets -bug replays another run.
var plantedBug atomic.Bool

// flakyRuns counts the runs of the flaky scenario; the first run of a test differs from
// every later one.
var flakyRuns atomic.Int64

var testBugs = &Bugs{Compiled: true, Tags: "testbugs",
	List: []Bug{{Name: "planted", Doc: "the counter notes one event more"}},
	Enable: func(name string) error {
		switch name {
		case "planted":
			plantedBug.Store(true)
		case "none":
			plantedBug.Store(false)
		default:
			return errors.New("no such bug")
		}
		return nil
	}}

var testCatalog = catalog.New()

func init() {
	testCatalog.Add(
		&catalog.Scenario{Name: "counter", Doc: "Tasks increment a counter with a read and a write in two critical sections. The lost update fails some seeds.",
			Params: []catalog.Param{{Name: "tasks", Doc: "incrementing tasks", Default: 3, Min: 2}},
			Body:   counter},
		&catalog.Scenario{Name: "flaky", Doc: "Its first run starts one task more than every later run.", Body: flaky},
		&catalog.Scenario{Name: "real-one", Doc: "Runs on the real runtime too.", Real: true, Body: func(rt *sim.Runtime) { rt.Yield() }},
	)
}

func counter(rt *sim.Runtime) {
	mu := rt.NewMutex("n")
	n, tasks := 0, rt.Param("tasks")
	if plantedBug.Load() {
		rt.Note("planted bug on")
	}
	g := rt.NewGroup("incrementers")
	for i := range tasks {
		g.Go(fmt.Sprintf("inc-%d", i), func() {
			mu.Lock()
			v := n
			mu.Unlock()
			mu.Lock()
			n = v + 1
			mu.Unlock()
		})
	}
	g.Wait()
	rt.Always(n == tasks, fmt.Sprintf("counter is %d after %d increments", n, tasks))
}

func flaky(rt *sim.Runtime) {
	g := rt.NewGroup("workers")
	workers := 2
	if flakyRuns.Add(1) == 1 {
		workers = 3
	}
	for i := range workers {
		g.Go(fmt.Sprintf("w%d", i), func() { rt.Yield() })
	}
	g.Wait()
}

var testConfig = Config{Catalog: testCatalog, Name: "tsim", Package: "./cmd/tsim", Bugs: testBugs}

// tsim runs the command in-process on the test catalogue.
func tsim(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = Run(args, &o, &e, testConfig)
	return o.String(), e.String(), code
}
