package simcli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// powerRanges is how many disjoint seed ranges the power measurement splits the seeds into.
const powerRanges = runfile.PowerRanges

// powerStrategies are the strategies the power measurement compares.
var powerStrategies = runfile.PowerStrategies

// measurePower prints, for each scenario and strategy, the number of seeds each of 20
// disjoint ranges needed before its first failure (median and worst; a range without a
// failure counts as its length and marks the cell with >), and checks that the first
// failing seed of each range replays with the same hash.
func measurePower(cfg *invocation, stdout, stderr io.Writer) int {
	size, ok := powerRangeSize(cfg, stderr)
	if !ok {
		return 2
	}
	if cfg.bug == "all" {
		return measureBugs(cfg, size, stdout)
	}
	powerHeader(cfg, size, stdout, []string{"scenario"}, []string{"µs/run", "replays"})
	for _, sc := range cfg.scenarios {
		row := powerRow(cfg, sc, size)
		fmt.Fprintf(stdout, "| %s |%s %.0f | %s |\n", sc.Name, row.cells, row.usPerRun(), yesNo(row.replays))
	}
	return 0
}

func powerRangeSize(cfg *invocation, stderr io.Writer) (uint64, bool) {
	total := runfile.Count(cfg.seeds)
	if len(cfg.seeds) != 1 || total < powerRanges {
		cfg.errorf(stderr, "-power wants one seed range of at least %d seeds\n", powerRanges)
		return 0, false
	}
	return total / powerRanges, true
}

// powerHeader prints the table's caption and header: the strategies' columns between
// the head and tail columns.
func powerHeader(cfg *invocation, size uint64, w io.Writer, head, tail []string) {
	runfile.PowerHeader(w, cfg.seeds[0].Lo, size, head, tail)
}

// powerResult is one scenario's row: the strategy cells, the cost, and whether every
// first failure replayed.
type powerResult struct {
	cells   string
	runs    int
	spent   time.Duration // wall time summed over the runs (not elapsed: workers overlap)
	replays bool
}

func (r powerResult) usPerRun() float64 {
	return float64(r.spent.Microseconds()) / float64(max(r.runs, 1))
}

// rangeResult is one seed range's first failure under one strategy.
type rangeResult struct {
	n, seed uint64 // seeds taken and the failing seed; 0, 0 when none failed
	runs    int
	spent   time.Duration
	replays bool
}

// powerRow measures every strategy on sc, the ranges on cfg.parallel workers.
func powerRow(cfg *invocation, sc *catalog.Scenario, size uint64) powerResult {
	results := make([][powerRanges]rangeResult, len(powerStrategies))
	type cell struct{ st, r int }
	work := make(chan cell)
	var wg sync.WaitGroup
	for range cfg.parallel {
		wg.Go(func() {
			for c := range work {
				st, _ := sim.ParseStrategy(powerStrategies[c.st])
				sub := *cfg
				sub.strategy = st
				lo := cfg.seeds[0].Lo + uint64(c.r)*size
				rr := firstFailure(&sub, sc, lo, size)
				if rr.seed != 0 || rr.n != 0 {
					rr.replays = replaysSame(&sub, sc, rr.seed)
				}
				results[c.st][c.r] = rr
			}
		})
	}
	for st := range powerStrategies {
		for r := range powerRanges {
			work <- cell{st, r}
		}
	}
	close(work)
	wg.Wait()
	row := powerResult{replays: true}
	for st := range powerStrategies {
		var found []uint64
		missed := 0
		for _, rr := range results[st] {
			row.runs += rr.runs
			row.spent += rr.spent
			if rr.n == 0 {
				missed++
				found = append(found, size)
				continue
			}
			found = append(found, rr.n)
			row.replays = row.replays && rr.replays
		}
		row.cells += " " + runfile.PowerCell(found, missed) + " |"
	}
	return row
}

// firstFailure runs seeds lo.. until one fails.
func firstFailure(cfg *invocation, sc *catalog.Scenario, lo, size uint64) rangeResult {
	start := time.Now()
	for i := range size {
		v := sc.Run(cfg.options(sc.Name, lo+i))
		if !v.OK() {
			return rangeResult{n: i + 1, seed: lo + i, runs: int(i + 1), spent: time.Since(start)}
		}
	}
	return rangeResult{runs: int(size), spent: time.Since(start)}
}

func replaysSame(cfg *invocation, sc *catalog.Scenario, seed uint64) bool {
	a, b := sc.Run(cfg.options(sc.Name, seed)), sc.Run(cfg.options(sc.Name, seed))
	return a.Hash == b.Hash && !a.OK() && !b.OK() && a.Failure.Kind == b.Failure.Kind
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
