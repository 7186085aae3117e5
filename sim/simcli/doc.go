/*
Package simcli is the simrun command as a library: a program whose main calls Main with
its catalogue of scenarios (package sim/catalog) is its own simrun, with every feature
below: sweeps, shards, failure bundles, traces, shrinking, replay of decision files and
the determinism check. muxsim's cmd/simrun is such a main:

	package main

	import (
		"os"

		"example.com/you/yourscenarios"
		"github.com/muxsim/muxsim/sim/simcli"
	)

	func main() {
		os.Exit(simcli.Main(simcli.Config{Catalog: yourscenarios.Catalog, Name: "yoursim"}))
	}

Config names the catalogue, the program (for its help text, usage errors and the replay
commands it prints) and, optionally, an engine's switch of known bugs (-bug, -bugs);
without one those flags are usage errors. The rest of this comment is the flag reference
that -h prints after the program's own description, with the program's name for simrun.

Usage:

	simrun [flags]
	simrun test [packages or directories] [-run REGEXP] [-seeds LIST] [-strategy S] [-failfast]
	            [-json] [-check-determinism] [-shard i/n] [-parallel N] [-out DIR] [-max-steps N]
	            [-watchdog D] [-v]
	simrun test DIR -replay FILE [-max-steps N] [-watchdog D] [-json] [-v]

simrun test runs ordinary Go tests, unmodified, under the scheduler: package sim/translate
rewrites their goroutines, channels, select, sync, sync/atomic, time and context onto the
simulated runtime for one build (the user's files are never touched; //line directives
keep every position at the original file and line) and runs each Test function once per
seed, printing one verdict line per (test, seed) with the test as the scenario. A test
blocked forever is a deadlock verdict, goroutines it leaves blocked are a leak, t.Fatal
and panics from any goroutine fail the run. Each test's first failing run prints its
report on standard error, ending with a line "replay: go run ./cmd/simrun test DIR -run
'^TestX$' -seeds N -strategy S" (the concrete strategy of the verdict line, and
-max-steps, -watchdog and -check-determinism when they shape the run) that gives the same
verdict and hash. The test flags are those listed, read as the sweep's flags of the same
name read them, with these differences: -seeds defaults to 1-10 and -max-steps to
1,000,000; -json prints the sweep's JSON object per run, with the test as the scenario;
-check-determinism runs each (test, seed) twice and reports both runs' verdict lines
and where their events first differ;
-shard counts the (test, seed) pairs of each directory from 0, the tests in source order;
-parallel N (default 1) runs N test processes at once, each test's seeds cut into N
contiguous slices, and prints exactly what one process prints (the shims' runtime is
process-global, so parallel runs are processes); -failfast stops a test's seeds at its
first failure; -v prints the tests' log lines (on standard error with -json); -out DIR
writes a failure bundle per failing run (at most 20 per test and process), TEST-seedN.txt
(the test, seed, strategy, verdict, both replay commands, the report), .decisions, .html
and .jsonl; -replay FILE runs such a decision file once (the test, seed and decisions it
names; a run with another hash than the file's fails, the code having changed) and
reads only -max-steps, -watchdog, -json and -v besides. The sweep's other flags (-trace,
-shrink, -seed, -scenario, -param, -bug, -baton, -jitter, -power, -real, -list...) are
usage errors with simrun test, not yet implemented for it (go doc
github.com/muxsim/muxsim/sim/translate lists what is and is not translated).

Every run is a pure function of (scenario, seed, strategy, binary): the same command
prints the same verdict lines, hashes included, on every machine.

	simrun -seed 1234                  run the default catalogue with seed 1234
	simrun -scenario NAME -seeds 1-1000,4242
	                                   sweep one scenario over seeds
	simrun -list                       list the scenarios with their one-line docs
	simrun -seeds 1-100000 -shard 3/8 -out bundles
	                                   one of eight machines' share of a nightly sweep
	simrun -scenario NAME -seed 6 -strategy random -shrink
	                                   minimise a failing run and save its decisions
	simrun -replay NAME-seed6.decisions -trace run.html
	                                   replay saved decisions and draw the run
	simrun -why NAME-seed6.decisions   find the step where the failure became inevitable

Each run prints one verdict line:

	scenario=NAME seed=N strategy=S ok=true steps=N vtime=D hash=H

strategy is the concrete strategy (the portfolio resolved by the seed), steps the number of
scheduling decisions, vtime the virtual time at the end, hash the rolling hash of every
event. A failed run adds failure=KIND (assert, panic, deadlock, leak, livelock-steps,
livelock-time, escape, race, orphan, liveness) and prints its report (the failure, every live task with what it
waits on, the last events) and a one-line replay command to standard error; the command
carries every flag that shapes the run. A sweep prints the lines of failed runs only,
unless -v, and a summary per scenario, followed by the scenario's Sometimes assertions
that were reached but never held in any run ("unexplored": the interleaving they
describe was never tested), and a total line (runs, failures, the shard, wall time, runs
per second, the slowest scenario per run). A sweep that lasts more than two seconds
reports progress on standard error: a bar with rate and ETA on a terminal, a plain line
every ten seconds otherwise.

Flags:

	-seed N          run one seed (default 1)
	-seeds LIST      seeds to sweep: ranges and single seeds, "1-1000,4242"
	-scenario NAMES  comma-separated scenarios (default: the default catalogue)
	-canaries        include the canaries (planted bugs) in the catalogue
	-list            list the scenarios and exit (with -v, their workload sizes; with
	                 -real, only those that run on the real runtime)
	-strategy S      portfolio (default), random, sequential, pct (depth 3), pctD; a
	                 +jitter suffix (random+jitter, pct2+jitter) perturbs virtual time
	-jitter M        the time perturbation (timers late by up to a quarter of their
	                 duration, coalesced, in a drawn order): portfolio (default: on in
	                 half of the portfolio's members and for +jitter strategies), on, off
	-baton B         coro (default) or chan: the handoff; traces are identical
	-parallel N      runs at once (default: the number of CPUs); output order and verdicts
	                 do not depend on it
	-json            print one JSON object per run instead of verdict lines
	-v               print every verdict line of a sweep, not only the failures
	-power           measure: for each scenario and strategy, split the seed list into 20
	                 disjoint ranges and report seeds-to-first-failure (median and worst);
	                 with -bug all, every known bug on its scenario, with a column of
	                 real-mode runs in the same wall time
	-bug NAME        switch a known bug of the engine on, in a program that has known
	                 bugs (its build tags compile them in)
	-bugs            list the known bugs, on standard output
	-max-steps N     step limit per run (default 10,000,000)
	-watchdog D      wall-clock time a task may go without a scheduling point (default 5s)
	-shard i/n       run only slice i of n of the sweep: job k (the sweep's (scenario, seed)
	                 pairs counted from 0) belongs to shard k mod n + 1, so n machines
	                 cover the sweep exactly once without talking (default 1/1)
	-check-determinism
	                 run each seed twice and compare the second run with the first; a
	                 different hash fails the run as "nondeterministic" and the report
	                 names the run that differed and the first differing event, with the
	                 events around it from both runs
	-out DIR         write a failure bundle per failed run (at most 20 per scenario):
	                 NAME-seedN.txt (scenario, seed, strategy, faults, commit and Go
	                 version, the failure, every live task, the last events, the replay
	                 command), .decisions (for -replay), .html and .jsonl traces; -shrink
	                 saves its decision file here too (default: the current directory)
	-trace FILE      write the events of one run (-scenario NAME -seed N, -replay or -why):
	                 FILE.html a self-contained timeline of tasks and frames, FILE.json
	                 Chrome trace events (open in ui.perfetto.dev), anything else JSON lines
	-param LIST      workload sizes, "streams=2,rounds=3" (simrun -list -v shows each
	                 scenario's sizes, defaults and minimums)
	-shrink          minimise the failing run of -scenario NAME -seed N, keeping the same
	                 failure (kind and place): halve each workload size while it still
	                 fails, then try exact virtual time (every time-perturbation draw 0),
	                 then delta debugging over its injected faults, then over its
	                 preemptions (decisions that differ from the non-preemptive schedule);
	                 prints the run's shape before and after and saves the smaller run as
	                 a decision file
	-replay FILE     run a decision file (written by -shrink or -out): the scenario, seed,
	                 bug and suppressed faults it names, with its scheduling decisions; the
	                 file records the run's hash, and a replay that strays from it (the
	                 code changed) fails and names the first decision that differs
	-why FILE        explain a failing decision file: where did its failure become
	                 inevitable? For prefixes of k of its decisions (every k for a run of
	                 at most 64, else 17 evenly spaced and then a bisection), replay the
	                 first k and draw the rest -why-runs times, each trial a random walk
	                 seeded by (k, trial), and count the trials that fail the same way
	                 (kind and place). The walk preempts as often as the file does: a
	                 uniform walk for a dense schedule (a random walk's run), a sparse one
	                 for a shrunk file's few preemptions, so a shallow race that any
	                 uniform walk hits still depends on the prefix (give -why a -shrink
	                 file for those). Prints a table of k, the step of the k-th decision
	                 and P(fail) as n/N, and a verdict: the jump (the decision at which
	                 P(fail) crosses halfway from the last low prefix to the first from
	                 which it stays at 90% or more, with that decision's step, task, the
	                 task it preempted and the mutexes it took), the prefix from which
	                 the failure is inevitable, the decisions around the jump and the
	                 run's events around its step. With -out DIR it saves a passing trial
	                 just before the jump and a failing one at it as decision files for
	                 -replay; with -trace FILE it draws the file's run with a note at the
	                 jump's step. Exit status 1 (the run fails), 2 if the file's run passes
	-why-runs N      with -why: trials per prefix (default 20)
	-real            run stress-style scenarios on real goroutines over loopback TCP
	                 instead (not reproducible: -seeds only counts runs); -list -real
	                 shows which scenarios can
	-for D           with -real: run each scenario for D of wall time

A flag that the chosen mode (a sweep, -list, -power, -real, -replay, -shrink, -why) does
not read is a usage error: -real -trace, for instance, or -replay with -seeds.

Exit status: 0 when every run passed, 1 when any failed, 2 on bad usage.
*/
package simcli
