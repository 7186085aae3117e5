// Package simrapid runs simulations under pgregory.net/rapid, drawing every decision of a
// run (which task runs, which ready event fires, every workload, network and fault
// choice) from rapid, so that rapid's shrinker minimises the workload and the schedule
// together: a failing property shrinks to a short operation list and a handful of
// preemptions.
//
// It uses the scheduler's Tape strategy (scheduler/tape.go): a draw of 0 is the default
// (no preemption, the first ready event, no fault, the smallest choice) and k > 0 a
// departure from it, so lowering draws towards 0, which is what rapid's shrinker does,
// removes preemptions and faults.
//
// # Contract
//
//  1. Call Run from the property's goroutine, never from inside a simulated task; it
//     returns once the run is over.
//  2. Draws happen inside tasks, one at a time (the scheduler serialises them, and each
//     draw declares its happens-before edge to the race detector, so either baton
//     works). They never fail a test: a *rapid.T must not call Fatalf or Skip inside a
//     task, since runtime.Goexit there would kill a simulated goroutine.
//  3. Check the verdict and the model after Run returns, with Check and t.Fatalf, from the
//     property's goroutine.
//  4. While rapid generates, one draw in Options.DepartEvery departs from 0, so that a run
//     starts with few preemptions and faults: each draw is a coin (shrunk to "no"
//     first), then the departure.
//  5. A run draws at most Options.MaxDraws values from rapid; later decisions take 0. When
//     rapid's input runs out (a shrink candidate, a failfile or a fuzz input shorter than
//     the run), the remaining decisions take 0 too: the end of the input is a run that
//     stops preempting and injecting faults.
//  6. Draws go through the *rapid.T that rapid gives a custom generator, which does not
//     log: a run takes hundreds of draws and logging each would bury the counterexample.
//     The whole schedule is logged once, as a Tape ("812 draws, 2 non-zero: #17=1
//     #45=2").
//
// # Example
//
//	func TestEcho(t *testing.T) {
//		rapid.Check(t, func(t *rapid.T) {
//			n := rapid.IntRange(1, 5).Draw(t, "calls")
//			var got int
//			v, tape := simrapid.Run(t, simrapid.Options{}, func(rt *sim.Runtime) {
//				got = runCalls(rt, n) // spawns tasks, checks nothing itself
//			})
//			simrapid.Check(t, v, tape) // deadlock, leak, panic, assertion
//			if got != n {
//				t.Fatalf("%d of %d calls answered (%v)", got, n, tape)
//			}
//		})
//	}
//
// The same property serves go test -fuzz through rapid.MakeFuzz.
package simrapid
