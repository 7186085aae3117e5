// Package simtest runs simulations under go test: Check sweeps a fixed list of seeds of a
// body under the simulator and, when a seed fails, fails the test with the seed, the
// concrete strategy, the trace hash, the verdict's report and the go test command that
// replays that one run.
//
//	func TestCounter(t *testing.T) {
//		simtest.Check(t, simtest.Options{}, func(rt *sim.Runtime) {
//			c := NewCounter(rt)
//			g := rt.NewGroup("adders")
//			for i := range 3 {
//				g.Go(fmt.Sprint("adder-", i), c.Add)
//			}
//			g.Wait()
//			rt.Always(c.Value() == 3, fmt.Sprintf("count is %d after 3 adds", c.Value()))
//		})
//	}
//
// A counter that loses updates fails (the report trimmed) with:
//
//	--- FAIL: TestCounter (0.00s)
//	    counter_test.go:12: simtest: seed 1 failed (sweep 1-100, 0 seeds passed before it)
//	        seed=1 strategy=pct1 hash=901901f5e907a86f steps=40 vtime=0s
//	        assert at step 40 (t=0s): always: count is 1 after 3 adds [task 1 "main" at counter/counter_test.go:19]
//	        last 45 events:
//	          #1 step=0 t=0s task 1 "main" spawned by task 0
//	          ...
//	          #44 step=40 t=0s task 1 "main" FAIL always: count is 1 after 3 adds
//	          #45 step=40 t=0s task 1 "main" exits
//	        replay: go test ./counter -run '^TestCounter$' -count=1 -args -sim.seed=1 -sim.strategy=pct1
//
// Run the replay command from the module root: it runs the same seed with the same
// strategy, which gives the same run and the same trace hash.
//
// # The sweep
//
// Check runs seeds 1 to Options.Seeds (default 100), in order: the list depends on
// nothing but the options and flags, so a failure found on one machine replays on any
// other. It stops at the first failing seed (Options.Failures for more). After a sweep
// with no failure it reports the Sometimes sites that were evaluated but never held: with
// go test -v as a log line, or as a test failure with Options.RequireSometimes. A site no
// run evaluated is unknown to the sweep.
//
// # Flags
//
// Check reads these flags, given after go test's -args. Each overrides the options; a bad
// value fails the test. Relative paths are relative to the package's directory, where go
// test runs the test binary.
//
//	-sim.seeds LIST   sweep these seeds instead, in order: 1-1000,4242
//	-sim.seed N       run seed N alone (a replay); it passes or fails like a sweep
//	-sim.strategy S   portfolio, random, sequential, pct or pctD (d = 1..16)
//	-sim.trace FILE   write the trace of the first failing run, or of the -sim.seed run:
//	                  FILE.html is a timeline page, FILE.json a Chrome trace for
//	                  ui.perfetto.dev, anything else JSON lines (package sim/trace)
//	-sim.out DIR      write a failure bundle per failing seed: DIR/TEST-seedN.txt (seed,
//	                  strategy, hash, Go version, report, replay command), its schedule
//	                  DIR/TEST-seedN.decisions and its traces DIR/TEST-seedN.html and .jsonl
//	-sim.replay FILE  run the seed and the schedule of a .decisions file (a person may
//	                  edit the decisions; past their end the run does not preempt)
//	-sim.v            log every seed's verdict line (shown with go test -v)
//
// Use -sim.trace with -run selecting one test: every test that writes a trace writes the
// same file. Give -sim.* flags only to packages whose tests import simtest: go test
// rejects a flag that the test binary does not define, so go test ./... -args
// -sim.seeds=... fails in the other packages.
//
// # Tests on real goroutines
//
// Real gives a test that runs on real goroutines (the production runtime, net.Pipe,
// loopback TCP) a deadline of its own, so that a hang fails it within seconds with a
// report instead of at go test's 10-minute alarm with every goroutine of the binary:
//
//	func TestEchoReal(t *testing.T) {
//		srv := NewServer(...)
//		state := func() string { return fmt.Sprint(srv.Stats()) } // what a hang waits on
//		simtest.Real(t, sim.RealOptions{State: state}, func(t *testing.T) {
//			... // may call t.Fatal
//		})
//	}
//
// The deadline is sim.RealOptions.Timeout (default sim.DefaultRealTimeout, 10s), cut to
// end 3s before go test's -timeout. Past it the test fails from its own goroutine with
// the stacks of the body's goroutine and of those started under it (goroutines of the
// test binary, other tests' included, are trimmed), the State function's answer and the
// command that reruns the test; the body's goroutines are left blocked, and every later
// Real of the test process fails at once, naming the test that hung. sim.RunReal gives a
// real run of a scenario the same report, in its verdict's failure.
//
// # Contract
//
//  1. Call Check from the test's goroutine (not from inside a simulated task). It fails
//     the test with t.Errorf and returns; bad flag values fail it with t.Fatalf.
//  2. body runs as the main task of each run, once per seed. It must not call the test's
//     methods (t.Fatal inside a task would end a simulated goroutine): state invariants
//     with rt.Always and rt.Unreachable, and interesting interleavings with rt.Sometimes.
//  3. body must build its state afresh on every call: a run must depend on nothing but
//     its seed and options, or the replay command does not replay it.
//  4. Tests that call Check may run in parallel (t.Parallel): each run has its own
//     scheduler and each Check its own coverage; the flags are only read.
//  5. The replay command uses the test binary's build: it adds -race when the failing
//     test ran with -race. Build tags and the test's own flags are not known to Check:
//     add them by hand.
//  6. Import simtest from tests only: it registers its -sim.* flags on the command line
//     of the binary that imports it.
package simtest
