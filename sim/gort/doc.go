// Package gort is the shim runtime of translated Go ("go runtime shims"): functions and
// types with the shape of the Go constructs they replace (go statements, channels,
// select, sync, sync/atomic, time, context deadlines, math/rand's global functions,
// runtime.Gosched, testing.T, range over a map), backed by the simulated runtime of package sim. Package
// sim/translate rewrites ordinary Go onto it; nobody is meant to write against it by
// hand.
//
// # Contract
//
//  1. One run per process at a time. The shims find their run through a process-global
//     current runtime, which Run (and RunTest, Main) sets for the length of one
//     sim.Run. Outside a run they fall back to sim.Real(). Parallel sweeps use
//     processes.
//  2. Zero values are usable. Mutex, RWMutex, WaitGroup, Once, Cond and a Chan made
//     before the run (a package-level variable) bind to the current run at their first
//     use in it, and bind afresh in the next run: state left by one seed's run (a
//     mutex left locked, a buffered value) does not leak into the next. What a
//     package's init did outside any run holds in every run: a channel it closed is
//     closed, a Once it ran has run (a value it left buffered is not carried).
//  3. Every operation is a scheduling point, as in package sim; sync/atomic operations
//     and Gosched yield, so that a spin loop lets the task it waits for run. Polls (a
//     select that took its default, Gosched, an atomic load or compare-and-swap) also
//     let virtual time pass: every PollEvery-th poll of a run waits PollDelay, so that a
//     loop spinning until a sleeping task wakes finishes, as it does on a real machine.
//  4. Semantics are Go's: a nil *Chan blocks forever (under simulation the task parks,
//     so the run ends in a deadlock or leak verdict naming "receiving from nil chan");
//     close of a nil or closed channel and send on a closed one panic as Go's do;
//     timers have Go 1.23's semantics (no stale value after Stop or Reset); AfterFunc's
//     function runs in a task of its own; a blocked RWMutex.Lock keeps new readers out;
//     Sleep of zero or less returns at once; MapRange produces a map's entries in an
//     order drawn from the seed (sorted keys, permuted), skipping entries deleted before
//     they are reached. The clock runs while tasks do: every scheduling step costs
//     StepTime (1ns, Main's -step-time), so a short ticker fires beside a busy task,
//     not only once every task waits; and a run whose tasks are all
//     blocked while IdleFiringsMax timer firings in a row wake none of them (a ticker
//     nobody reads) is a deadlock, or a leak after the test returned.
//  5. Channels made by untranslated code (a context's Done) are wrapped by Ext: receive
//     and select work for a close-only chan struct{}, which the scheduler polls; any
//     other use panics under simulation rather than block outside the schedule.
//  6. testing.T is T: Error and Errorf, from any task, fail the run when the test
//     function returns (an assert verdict with their messages and positions); Fatal,
//     Fatalf and FailNow fail it at once, at their step; Skip ends the test as passed;
//     Run runs a subtest inline; Parallel does nothing.
//  7. After an escape verdict (a task blocked outside the scheduler) the abandoned task
//     still runs and would share the global runtime with the next run: Main stops there.
//
// Main is what a translated package's generated main calls: one run per (test, seed),
// printing simrun's verdict lines.
package gort
