// Package translate rewrites ordinary Go, tests included, onto the simulated runtime, so
// that unmodified Test functions run under the scheduler: every goroutine, channel
// operation, select, sync primitive, atomic operation and clock read goes through the
// shims of package sim/gort. Main is `simrun test`.
//
// # How
//
// Dir parses and type checks one directory's package, test files included (with
// go/packages inside a module, else go/parser and go/types against the standard
// library), and rewrites each file by splicing text at the original offsets, each
// replacement on the line of what it replaces, so that a translated file keeps the
// original's lines; it opens with a //line directive naming the original file, so that
// compile errors, panics, stacks and verdicts point at the user's file and line. Build
// makes the package main, its test files ordinary files, and adds a generated main that
// calls gort.Main: a package inside a module is built in place through the go command's
// -overlay; a plain directory (a GoKer kernel) in a temporary module (module
// simtest.local/kernel, requiring this module through a replace directive, with this
// module's go.sum, so that it builds offline from the module cache). The user's files
// are only read.
//
// Options.Deps (simrun test -translate) names dependencies to translate as well, as
// import path patterns: those of them the package imports, directly or not, are
// translated without their tests, so that their goroutines and channels run under the
// scheduler too (stock storj.io/drpc in bench/drpcsim). A dependency in the main module
// is overlaid; one from the module cache, which the overlay may not replace, is copied
// into the temporary directory, translated there, and replaced by the copy through
// -modfile (a copy of the module's go.mod with the replace added).
//
// With BuildOptions.Race (simrun test -race) the binary is built with the race
// detector: the scheduler hands control over with its race-preserving baton, the shims
// make the happens-before edges Go's primitives make and no others, and a run in which
// the detector reports a data race fails (failure=race) with the report, which
// Binary.Command has the detector write to a file the scheduler reads back.
//
// # simrun test
//
// Main runs the built binary (its generated main is gort.Main) with the flags it reads:
//
//	-run REGEXP          the tests to run (default all)
//	-race                build with the race detector: a data race fails the run
//	-translate PATTERNS  dependencies to translate too, comma-separated (storj.io/drpc/...)
//	-seeds LIST          seeds, as 1-100,200 (default 1-10)
//	-strategy S          portfolio (default), random, sequential, pct, pctD, with +jitter
//	-max-steps N         step limit of a run (default 1,000,000)
//	-watchdog D          wall time a task may run without a scheduling point (default 5s)
//	-failfast            stop a test's seeds at its first failure
//	-json                one JSON object per run, the shape of simrun's -json
//	                     (runfile.Result, the test as the scenario), instead of verdict lines
//	-check-determinism   run each (test, seed) twice; a second run with another hash fails
//	                     the run as "nondeterministic", and the report shows both verdict
//	                     lines and the first differing event, with the events around it
//	-shard i/n           only job k, the directory's (test, seed) pairs counted from 0
//	                     (tests in source order, each over every seed), with k mod n = i-1
//	-parallel N          N test processes at once (default 1), each test's seeds cut into
//	                     N contiguous slices; the output is what one process prints
//	-out DIR             a failure bundle per failing run (at most 20 per test and process):
//	                     TEST-seedN.txt (the run, the failure, the replay commands), .decisions
//	                     (for -replay), .html and .jsonl traces of the run rerun with its log
//	-replay FILE         run a bundle's decision file once instead: its test, seed and
//	                     decisions; a hash other than the file's fails (the code changed).
//	                     It reads only -race, -translate, -max-steps, -watchdog, -json
//	                     and -v besides
//	-v                   print the tests' log lines (on standard error with -json)
//	-trace FILE          write the events of the one run selected (one test, one seed) or
//	                     of -replay: FILE.html a timeline page, FILE.json Chrome trace
//	                     events, anything else JSON lines
//	-shrink              minimise the one failing run selected, keeping its failure (kind
//	                     and place): exact virtual time, then delta debugging over its
//	                     preemptions; saves TEST-seedN.decisions under -out (default .)
//	-power               for each test and strategy (random, pct1-3, portfolio), seeds to
//	                     the first failure in each of 20 ranges of the seed list (median /
//	                     worst), and whether each range's first failure replays
//	-explain             list, without building, the calls the schedule cannot see into:
//	                     standard-library calls that block in the kernel or start
//	                     goroutines (net, os/exec, io.Pipe...) and calls into untranslated
//	                     packages that lock or wait
//
// Each test's first failing run prints its report on standard error, ending with the
// line that replays it: "replay: go run ./cmd/simrun test DIR -run '^TestX$' -seeds N
// -strategy S", with -race and -translate when given, the concrete strategy of the
// verdict line and -max-steps, -watchdog (when not the defaults) and -check-determinism
// (for a nondeterministic run). The
// flags of simrun's scenario sweep that Main does not read (-seed, -scenario, -param,
// -bug, -baton, -jitter, -real, -list...) are usage errors
// (exit 2), as a flag a mode does not read is for the scenario CLI. With -parallel, an
// escape verdict stops only the process of its slice.
//
// # What is translated
//
//	Go                                         translation
//	go f(x, y)                                 { f, a, b := f, x, y; gort.Go(func() { f(a, b) }) }
//	                                           (constants, nil and package-level functions inline)
//	chan T, <-chan T, chan<- T (any position)  *gort.Chan[T] (directions were checked on the original)
//	make(chan T, n), make(S, n)                gort.MakeChan[T](n), gort.MakeChanOf[S](n)
//	type S chan T                              type S = *gort.Chan[T]
//	ch <- v, <-ch, v, ok := <-ch               (ch).Send(v), (ch).Recv(), (ch).Recv2()
//	close(ch), len(ch), cap(ch)                (ch).Close(), (ch).Len(), (ch).Cap()
//	for v := range ch (x = range ch,           for _c, v, _ok := gort.First(ch); _ok; v, _ok = _c.Recv2() {
//	  range ch)                                  (ch evaluated once; x = _v at the body's start):
//	                                             the Go version's loop variable semantics
//	for k, v := range m (m a map, named        for _it := gort.MapRange(m); _it.Next(); { k, v := _it.Key(), _it.Value(); {
//	  map types included; k only, v only,        body }}: keys sorted (numbers, strings, bools; arrays
//	  neither, = or :=)                          and structs element by element; interfaces by dynamic
//	                                             type name, then value), permuted by the run's
//	                                             "map-order" stream; each key looked up when reached,
//	                                             so deleted entries are skipped, values are current
//	                                             and added entries are not produced
//	select { ... } with or without default     switch { default: ...; switch gort.Select(cases...) { case i: ... } }
//	select {}                                  for { gort.Select() }
//	                                           (the last clause is the switch's default, so a
//	                                           select that was a terminating statement still is)
//	sync.Mutex, RWMutex, WaitGroup, Once,      gort.Mutex, ... (usable zero values)
//	  Cond, NewCond, Locker
//	time.Sleep, After, Tick, NewTimer,         gort.Sleep, ... on virtual time, which advances
//	  NewTicker, AfterFunc, Now, Since,          1ns per scheduling step and jumps when every
//	  Until, Timer, Ticker                       task waits; Sleep(d <= 0) returns at once
//	context.WithTimeout, WithDeadline          gort.WithTimeout, gort.WithDeadline (virtual timers)
//	ctx.Done() and any channel returned        gort.Ext(ctx.Done()): close-only chan struct{} only
//	  by a function outside the package
//	sync/atomic Add, Load, Store, Swap,        gort.AddInt32, ...: a yield, then the atomic op
//	  CompareAndSwap on (u)int32/64;
//	  atomic.Int32, Int64, Uint32, Uint64,
//	  Bool, Pointer[T], Value
//	func (x X) Done() <-chan struct{}, and     kept, each return value wrapped in gort.Real (a
//	  such a method in an interface             real channel closed with the translated one): a
//	  (a type implementing context.Context)     type implementing context.Context still does
//	math/rand's global functions               gort.MathRand().Intn, ...: seeded from the run
//	runtime.Gosched                            gort.Gosched
//	*testing.T, testing.TB                     *gort.T, gort.TB
//	unused imports afterwards                  blank imports, on their lines
//
// # What is not
//
//	construct                                  outcome
//	a named channel type with methods          translation error (one without methods
//	                                             becomes an alias, type S = *gort.Chan[T])
//	runtime.Goexit, reflect.Select, TestMain,  translation error
//	  testing.B, context.AfterFunc,
//	  With{Timeout,Deadline}Cause,
//	  sync.OnceFunc/OnceValue(s), other
//	  sync/atomic names (Uintptr)
//	two packages in a directory (p, p_test)    translation error
//	  or an external test package in a module
//	a module that does not require muxsim      build error: the shims are not importable
//	a plain directory importing non-standard   type error: only the standard library
//	  packages                                   and muxsim are importable there
//	context.WithCancel of a parent that is     Go's own goroutine waits for the parent, outside
//	  neither Go's nor gort's (a type of your    the schedule: its cancel reaches the child when
//	  own implementing context.Context)          the host runs it, so the run may not replay
//	Go 1.21 loop variables in a plain          per-iteration variables: its module says go
//	  directory (GoKer's moby_22941)             1.26, as go test's would (a package in a
//	                                             module gets its go.mod's version)
//	standard-library calls that block or       escape verdict from the watchdog, not a hang
//	  start goroutines (net, os/exec)
//	sync.Map, sync.Pool                        left as they are (Pool's choices are not seeded)
//	range over a map whose key type holds a    left to Go's random order: a run whose behaviour
//	  pointer, a channel or unsafe.Pointer;      depends on it is not reproducible from its seed
//	  an interface key holding one at run        (addresses have no order that is the same from
//	  time; a type parameter's map               run to run); no warning is printed
//	range over a map with NaN keys             their entries are not produced (a NaN key
//	                                             cannot be looked up)
//	go f(g()) with g multi-valued; an untyped  build error (the temporaries take default types)
//	  non-constant argument (a == b) to a
//	  named bool parameter
//
// Select's channel operands are evaluated at the statement, as Go's are, except that the
// channels of receive-assign cases (case v := <-ch) are evaluated before the other
// cases' operands, not in source order.
package translate
