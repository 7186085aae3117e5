package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"muxsim/scenarios"
	"muxsim/sim"
)

// powerRanges is how many disjoint seed ranges the power measurement splits the seeds into.
const powerRanges = 20

// powerStrategies are the strategies the power measurement compares.
var powerStrategies = []string{"random", "pct1", "pct2", "pct3", "portfolio"}

// measurePower prints, for each scenario and strategy, the number of seeds each of 20
// disjoint ranges needed before its first failure (median and worst; a range without a
// failure counts as its length and marks the cell with >), and checks that the first
// failing seed of each range replays with the same hash.
func measurePower(cfg *config, stdout, stderr io.Writer) int {
	total := count(cfg.seeds)
	if len(cfg.seeds) != 1 || total < powerRanges {
		fmt.Fprintf(stderr, "simrun: -power wants one seed range of at least %d seeds\n", powerRanges)
		return 2
	}
	size := total / powerRanges
	fmt.Fprintf(stdout, "seeds %d-%d in %d ranges of %d; cell = median / worst seeds to first failure\n\n",
		cfg.seeds[0].lo, cfg.seeds[0].lo+size*powerRanges-1, powerRanges, size)
	fmt.Fprintf(stdout, "| scenario |")
	for _, st := range powerStrategies {
		fmt.Fprintf(stdout, " %s |", st)
	}
	fmt.Fprintf(stdout, " µs/run | replays |\n|---|")
	for range powerStrategies {
		fmt.Fprintf(stdout, "---|")
	}
	fmt.Fprintf(stdout, "---|---|\n")
	for _, sc := range cfg.scenarios {
		fmt.Fprintf(stdout, "| %s |", sc.Name)
		var runs int
		var spent time.Duration
		replays := true
		for _, name := range powerStrategies {
			st, _ := sim.ParseStrategy(name)
			c := *cfg
			c.strategy = st
			var found []uint64
			missed := 0
			for r := range uint64(powerRanges) {
				lo := cfg.seeds[0].lo + r*size
				n, seed, d, k := firstFailure(&c, sc, lo, size)
				runs += k
				spent += d
				if seed == 0 && n == 0 {
					missed++
					found = append(found, size)
					continue
				}
				found = append(found, n)
				replays = replays && replaysSame(&c, sc, seed)
			}
			slices.Sort(found)
			median, worst := found[len(found)/2], found[len(found)-1]
			mark := ""
			if missed > len(found)/2 {
				mark = ">"
			}
			worstMark := ""
			if missed > 0 {
				worstMark = ">"
			}
			fmt.Fprintf(stdout, " %s%d / %s%d |", mark, median, worstMark, worst)
		}
		fmt.Fprintf(stdout, " %.0f | %s |\n", float64(spent.Microseconds())/float64(max(runs, 1)), yesNo(replays))
	}
	return 0
}

// firstFailure runs seeds lo.. until one fails; it returns how many seeds that took, the
// failing seed (0, 0 if none failed), the wall time spent and the number of runs.
func firstFailure(cfg *config, sc *scenarios.Scenario, lo, size uint64) (uint64, uint64, time.Duration, int) {
	start := time.Now()
	for i := range size {
		v := sc.Run(cfg.options(sc.Name, lo+i))
		if !v.OK() {
			return i + 1, lo + i, time.Since(start), int(i + 1)
		}
	}
	return 0, 0, time.Since(start), int(size)
}

func replaysSame(cfg *config, sc *scenarios.Scenario, seed uint64) bool {
	a, b := sc.Run(cfg.options(sc.Name, seed)), sc.Run(cfg.options(sc.Name, seed))
	return a.Hash == b.Hash && !a.OK() && !b.OK() && a.Failure.Kind == b.Failure.Kind
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
