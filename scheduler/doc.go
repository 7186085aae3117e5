// Package scheduler is muxsim's seeded cooperative scheduler: it runs simulated
// goroutines (tasks) one at a time, decides at every scheduling point which runs next,
// owns virtual time, and hashes every decision and event into a trace.
//
// Code under test does not use this package directly; it uses package sim, which builds
// its primitives (mutex, condition variable, events, timers, contexts) on the scheduler.
//
// # Contract
//
// A run is a pure function of (Options, main, binary). Callers and primitive writers rely
// on these promises, and must keep these obligations:
//
//  1. One task at a time. Exactly one task executes between scheduling points (Point,
//     Yield, Wait, Select, Go). Scheduler context (timer and watch callbacks) runs between
//     tasks, never during one.
//  2. Deterministic choice. Every choice (which task, which ready waitable, PCT's change
//     points, fault and workload draws) comes from a Rand stream derived from the seed and
//     a stream name with SplitMix64; each class of choice has its own stream.
//  3. Virtual time. The clock advances only when no task can run, jumping to the earliest
//     timer; timers due at the same instant fire in creation order. Once every task has
//     exited the run is over: a timer still armed never fires and does not move the clock.
//  4. Time is not exact where the strategy says so (Strategy.Jitter, "random+jitter";
//     Options.TimeJitter forces it on or off; by default half of the portfolio's members
//     perturb). Each timer armed for d may fire up to d/4 late, by a drawn number of
//     64ths of d; the clock jumps to the earliest latest-firing instant and every timer
//     due by then fires with it, in a drawn order; a timer never fires early. Two timers
//     due close together thus fire at one instant some of the time, which lets a schedule
//     reach a race window that exact time puts at an instant no task is runnable at. The
//     draws are their own class (the "time" stream); Record keeps each as -k, Replay with
//     Jitter reads it back, Tape draws it from the Source, and a draw of 0 is exact time,
//     so an all-zero script or tape is the unperturbed run and shrinking goes back to it.
//  5. Failures are verdicts. Deadlock (main blocked, nothing runnable, no timer), leak
//     (tasks blocked after main returned), panic, livelock (MaxSteps, MaxTime) and escape
//     (a task blocked outside the scheduler for Watchdog of wall time) end the run with a
//     Verdict that names every live task, what it waits on, where it was spawned and where
//     it stopped, plus the last events. An orphan (a task of a Join that ended after the
//     join's owner had, with no Wait on the join after it) fails a run whose tasks have
//     all ended, naming both tasks (join.go states the rule).
//  6. Trace and hash. Every event (spawn, run, block, exit, timer, note, fail) is
//     numbered and stamped with the step and virtual time; the verdict carries a rolling
//     FNV-1a hash over all of them. Same inputs, same hash, on every machine.
//  7. Two batons, one trace. BatonCoroutine (iter.Pull) is the fast default; BatonChannel
//     hands control over channels with race synchronisation suspended, so that under
//     -race data races between tasks are reported. Both take the same decisions.
//
// Obligations of code that builds primitives on the scheduler (package sim does this):
//
//  1. Block only through Wait or Select; never block on anything else inside a task.
//  2. Waitable.Ready must be cheap, must not block and must not change state.
//  3. Under the race-preserving baton the scheduler touches waitables from whichever
//     goroutine takes a decision: mark Ready, Describe and the functions that write the
//     state they read //go:norace, and declare each happens-before edge the primitive
//     makes with RaceRelease (on release) and RaceAcquire (on acquire).
//  4. Timer and watch callbacks must not block: they fire events, cancel contexts, spawn.
//  5. Code under test must not swallow the scheduler's unwinding panic with a blanket
//     recover; re-panic values you do not own.
//
// # Strategies
//
// Random walk finds shallow, symmetric races (lost updates) in a few seeds and almost
// never an ordering bug behind a long prefix; PCT is the reverse. The default portfolio
// lets the seed pick random walk or PCT at depth 1, 2 or 3, each at exact time or with
// the time perturbation (+jitter), so one number still reproduces a run. Replay follows a recorded decision list (Options.Record);
// with Strategy.Continue it takes the decisions past the list's end as a fresh random walk,
// which is how simrun -why measures how likely a run's prefix makes its failure.
package scheduler

// The scheduler is checked by simvet too: its own goroutines (the driver, the channel
// baton's tasks), selects, atomics and wall clock (the escape watchdog) are the reviewed
// exceptions, each marked simvet:allow with its reason.
//
//simvet:simulated
