/*
Simrun runs muxsim's scenarios (package scenarios) under the deterministic simulator: it
replays one seed, sweeps many, and measures how quickly the framework finds the known
bugs of the engine (mux, with -tags muxbugs).

	simrun -scenario canary-ordering -seeds 1-1000 -strategy pct
	                                   hunt a planted bug with PCT
	simrun -canaries -power -seeds 1-1000
	                                   measure seeds-to-first-failure per canary and strategy
	simrun -scenario canary-lock-order -seed 6 -strategy random -shrink
	                                   minimise a failing run and save its decisions
	go run -tags muxbugs ./cmd/simrun -power -bug all -seeds 1-400
	                                   the known-bug table of the README
	go run -tags muxbugs ./cmd/simrun -bug B1 -scenario mux-cancel -seeds 1-1000
	                                   switch known bug B1 (B1, B2, B3, B4-slot,
	                                   B4-alias, B6, B7, B8, B9, B12) back on

Simrun is package sim/simcli with muxsim's catalogue and known bugs: its flags, output and
exit status are that package's documentation, which -h prints after this paragraph.
*/
package main
