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

Each run prints one verdict line:

	scenario=NAME seed=N strategy=S ok=true steps=N vtime=D hash=H

strategy is the concrete strategy (the portfolio resolved by the seed), steps the number of
scheduling decisions, vtime the virtual time at the end, hash the rolling hash of every
event. A failed run adds failure=KIND (assert, panic, deadlock, leak, livelock-steps,
livelock-time, escape) and prints its report (the failure, every live task with what it
waits on, the last events) and a one-line replay command to standard error. A sweep prints
the lines of failed runs only, unless -v, and a summary per scenario, followed by the
scenario's Sometimes assertions that were reached but never held in any run ("unexplored":
the interleaving they describe was never tested).

Flags:

	-seed N          run one seed (default 1)
	-seeds LIST      seeds to sweep: ranges and single seeds, "1-1000,4242"
	-scenario NAMES  comma-separated scenarios (default: the default catalogue)
	-canaries        include the canaries (planted bugs) in the catalogue
	-list            list the scenarios and exit
	-strategy S      portfolio (default), random, sequential, pct (depth 3), pctD
	-baton B         coro (default) or chan: the handoff; traces are identical
	-parallel N      runs at once (default: the number of CPUs); output order and verdicts
	                 do not depend on it
	-json            print one JSON object per run instead of verdict lines
	-v               print every verdict line of a sweep, not only the failures
	-power           measure: for each scenario and strategy, split the seed list into 20
	                 disjoint ranges and report seeds-to-first-failure (median and worst)
	-bug NAME        switch a known bug of the multiplexing branch back on (B1, B2, B3,
	                 B4-slot, B4-alias, B6, B7, B8, B9, B12); needs a build with
	                 -tags muxbugs: go run -tags muxbugs ./cmd/simrun -bug B1 ...
	-bugs            list the known bugs (with -tags muxbugs)
	-max-steps N     step limit per run (default 10,000,000)
	-watchdog D      wall-clock time a task may go without a scheduling point (default 5s)

Exit status: 0 when every run passed, 1 when any failed, 2 on bad usage.
*/
package main
