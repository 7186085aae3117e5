/*
Simrun runs muxsim's scenarios under the deterministic simulator: it replays one seed,
sweeps many, and measures how quickly the framework finds the known bugs.

Usage:

	simrun [flags]

Every run is a pure function of (scenario, seed, strategy, binary): the same command
prints the same verdict lines, hashes included, on every machine.

	simrun -seed 1234                  run the default catalogue with seed 1234
	simrun -scenario pipeline -seeds 1-1000,4242
	                                   sweep one scenario over seeds
	simrun -list                       list the scenarios with their one-line docs
	simrun -scenario canary-ordering -seeds 1-1000 -strategy pct
	                                   hunt a planted bug with PCT
	simrun -canaries -power -seeds 1-1000
	                                   measure seeds-to-first-failure per canary and strategy
	simrun -seeds 1-100000 -shard 3/8 -out bundles
	                                   one of eight machines' share of a nightly sweep
	simrun -scenario canary-lock-order -seed 6 -strategy random -shrink
	                                   minimise a failing run and save its decisions
	simrun -replay canary-lock-order-seed6.decisions -trace run.html
	                                   replay saved decisions and draw the run
	go run -tags muxbugs ./cmd/simrun -power -bug all -seeds 1-1000
	                                   the known-bug table of the README

Each run prints one verdict line:

	scenario=NAME seed=N strategy=S ok=true steps=N vtime=D hash=H

strategy is the concrete strategy (the portfolio resolved by the seed), steps the number of
scheduling decisions, vtime the virtual time at the end, hash the rolling hash of every
event. A failed run adds failure=KIND (assert, panic, deadlock, leak, livelock-steps,
livelock-time, escape) and prints its report (the failure, every live task with what it
waits on, the last events) and a one-line replay command to standard error. A sweep prints
the lines of failed runs only, unless -v, and a summary per scenario, followed by the
scenario's Sometimes assertions that were reached but never held in any run ("unexplored":
the interleaving they describe was never tested), and a total line (runs, failures, the
shard, wall time, runs per second, the slowest scenario per run). A sweep that lasts more
than two seconds reports progress on standard error: a bar with rate and ETA on a
terminal, a plain line every ten seconds otherwise.

Flags:

	-seed N          run one seed (default 1)
	-seeds LIST      seeds to sweep: ranges and single seeds, "1-1000,4242"
	-scenario NAMES  comma-separated scenarios (default: the default catalogue)
	-canaries        include the canaries (planted bugs) in the catalogue
	-list            list the scenarios and exit (with -v, their workload sizes)
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
	                 with -bug all (and -tags muxbugs), every known bug on its scenario,
	                 with a column of real-mode runs in the same wall time
	-bug NAME        switch a known bug of the multiplexing branch back on (B1, B2, B3,
	                 B4-slot, B4-alias, B6, B7, B8, B9, B12); needs a build with
	                 -tags muxbugs: go run -tags muxbugs ./cmd/simrun -bug B1 ...
	-bugs            list the known bugs (with -tags muxbugs)
	-max-steps N     step limit per run (default 10,000,000)
	-watchdog D      wall-clock time a task may go without a scheduling point (default 5s)
	-shard i/n       run only slice i of n of the sweep: job k (the sweep's (scenario, seed)
	                 pairs counted from 0) belongs to shard k mod n + 1, so n machines
	                 cover the sweep exactly once without talking (default 1/1)
	-check-determinism
	                 run each seed twice; a different hash fails the run as
	                 "nondeterministic" and the report shows the first differing event
	                 with the events around it from both runs
	-out DIR         write a failure bundle per failed run (at most 20 per scenario):
	                 NAME-seedN.txt (scenario, seed, strategy, faults, commit and Go
	                 version, the failure, every live task, the last events, the replay
	                 command), .decisions (for -replay), .html and .jsonl traces; -shrink
	                 saves its decision file here too (default: the current directory)
	-trace FILE      write the events of one run (-scenario NAME -seed N, or -replay):
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
	                 bug and suppressed faults it names, with its scheduling decisions
	-real            run stress-style scenarios on real goroutines over loopback TCP
	                 instead (not reproducible: -seeds only counts runs); -list shows
	                 which scenarios can
	-for D           with -real: run each scenario for D of wall time

Exit status: 0 when every run passed, 1 when any failed, 2 on bad usage.
*/
package main
