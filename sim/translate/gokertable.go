package translate

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/muxsim/muxsim/sim/gort"
)

// Strategies are the columns of the GoKer table: the random walk, PCT at depths 1 to 3,
// the portfolio (which mixes them, half with the time perturbation) and the random walk
// with the time perturbation.
var Strategies = []string{"random", "pct1", "pct2", "pct3", "portfolio", "random+jitter"}

// Sweep is one kernel swept by several strategies: a column each, and whether the first
// failing seed replays (run again alone, the same verdict kind and trace hash).
type Sweep struct {
	Kernel
	Cols   []Column
	Replay string // "yes", "no: ..." or "" when no strategy found the bug
}

// Bench translates and builds one kernel once, then sweeps seeds with each strategy
// (extra are further flags of the binary, such as -max-steps), each sweep stopping at
// its first failure (-failfast) and taking at most timeout of wall time. It then reruns
// the first failing seed of the portfolio (else of the first column that failed) and
// compares its hash.
func Bench(k Kernel, o BuildOptions, strategies []string, seeds string, extra []string, timeout time.Duration) (sw Sweep) {
	start := time.Now()
	defer func() { sw.Duration = time.Since(start) }()
	sw.Kernel = k
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	bin, cantRun := buildKernel(ctx, k, o)
	if cantRun != "" {
		sw.CantRun = cantRun
		return sw
	}
	defer bin.Remove()
	list, err := gort.ParseSeeds(seeds)
	if err != nil {
		sw.CantRun = err.Error()
		return sw
	}
	for _, st := range strategies {
		sw.Cols = append(sw.Cols, sweep(bin, st, list, extra, timeout))
	}
	first := -1
	for i, c := range sw.Cols {
		if c.Found && (first < 0 || c.Strategy == "portfolio") {
			first = i
		}
	}
	if first < 0 {
		return sw
	}
	c := sw.Cols[first]
	sw.Found, sw.Seed, sw.Kind = true, c.Seed, c.Kind
	rctx, rcancel := context.WithTimeout(context.Background(), timeout)
	defer rcancel()
	r := runBin(rctx, bin, append([]string{"-seeds", strconv.FormatUint(c.Seed, 10), "-strategy", c.Strategy}, extra...))
	switch {
	case r.Found && r.Hash == c.Hash && r.Kind == c.Kind:
		sw.Replay = "yes"
	case r.Found:
		sw.Replay = fmt.Sprintf("no: %s seed %d gave %s hash=%s, first %s hash=%s", c.Strategy, c.Seed, r.Kind, r.Hash, c.Kind, c.Hash)
	default:
		sw.Replay = fmt.Sprintf("no: %s seed %d passed on the rerun", c.Strategy, c.Seed)
	}
	return sw
}

// sweep runs one strategy's seeds on a built kernel until the first failure that counts.
// The binary's -failfast also stops at a run left at the step limit, which does not
// count (runBin says why), so the sweep goes on from the seed after it.
func sweep(bin *Binary, strategy string, seeds []uint64, extra []string, timeout time.Duration) Column {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	total := Column{Strategy: strategy}
	for len(seeds) > 0 {
		args := append([]string{"-seeds", seedList(seeds), "-strategy", strategy, "-failfast"}, extra...)
		c := runBin(ctx, bin, args)
		total.Runs += c.Runs
		total.Livelock += c.Livelock
		if c.Found {
			total.Found, total.Seed, total.Kind, total.Hash = true, c.Seed, c.Kind, c.Hash
			total.Seeds = total.Runs - c.Runs + c.Seeds
			return total
		}
		switch {
		case ctx.Err() != nil:
			total.CantRun = fmt.Sprintf("harness timeout after %v and %d runs", timeout, total.Runs)
			return total
		case c.CantRun != "" || c.Runs == 0:
			total.CantRun = c.CantRun
			return total
		}
		seeds = seeds[min(c.Runs, len(seeds)):]
	}
	return total
}

// seedList writes seeds as the binary's -seeds takes them, runs of consecutive seeds as
// ranges: 5-100,200.
func seedList(seeds []uint64) string {
	var parts []string
	for i := 0; i < len(seeds); {
		j := i
		for j+1 < len(seeds) && seeds[j+1] == seeds[j]+1 {
			j++
		}
		part := strconv.FormatUint(seeds[i], 10)
		if j > i {
			part += "-" + strconv.FormatUint(seeds[j], 10)
		}
		parts = append(parts, part)
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// SweepTable writes the sweeps as a markdown table, a column of seeds to first failure
// per strategy ("-" for none; a note counts the runs each strategy left at the step
// limit, which do not count), then the totals per class and strategy.
func SweepTable(w io.Writer, sws []Sweep, strategies []string) {
	fmt.Fprintf(w, "| kernel | type | found | %s | verdict | replays | note |\n", strings.Join(strategies, " | "))
	fmt.Fprintf(w, "|---|---|---|%s---|---|---|\n", strings.Repeat("---|", len(strategies)))
	for _, sw := range sws {
		cells := make([]string, len(strategies))
		var notes []string
		for i := range strategies {
			cells[i] = "-"
			if i >= len(sw.Cols) {
				continue
			}
			c := sw.Cols[i]
			if c.Found {
				cells[i] = strconv.Itoa(c.Seeds)
			}
			if c.Livelock > 0 {
				notes = append(notes, fmt.Sprintf("%s %d at step limit", c.Strategy, c.Livelock))
			}
			if c.CantRun != "" {
				notes = append(notes, c.Strategy+": "+c.CantRun)
			}
		}
		if sw.CantRun != "" {
			notes = append(notes, "cannot run: "+sw.CantRun)
		}
		note := strings.ReplaceAll(strings.Join(notes, "; "), "|", "\\|")
		fmt.Fprintf(w, "| %s | %s | %t | %s | %s | %s | %s |\n", sw.Name, sw.Type, sw.Found, strings.Join(cells, " | "), sw.Kind, sw.Replay, note)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| class | kernels | run | found by any | %s | replays |\n", strings.Join(strategies, " | "))
	fmt.Fprintf(w, "|---|---|---|---|%s---|\n", strings.Repeat("---|", len(strategies)))
	for _, class := range []string{"blocking", "nonblocking", "all"} {
		var kernels, ran, any, replays int
		found := make([]int, len(strategies))
		seeds := make([][]int, len(strategies))
		for _, sw := range sws {
			if cl, _, _ := strings.Cut(sw.Type, ":"); class != "all" && cl != class {
				continue
			}
			kernels++
			if sw.CantRun == "" {
				ran++
			}
			if sw.Found {
				any++
			}
			if sw.Replay == "yes" {
				replays++
			}
			for i := range strategies {
				if i < len(sw.Cols) && sw.Cols[i].Found {
					found[i]++
					seeds[i] = append(seeds[i], sw.Cols[i].Seeds)
				}
			}
		}
		cells := make([]string, len(strategies))
		for i := range strategies {
			cells[i] = strconv.Itoa(found[i])
			if len(seeds[i]) > 0 {
				slices.Sort(seeds[i])
				cells[i] += fmt.Sprintf(" (median %d)", seeds[i][(len(seeds[i])-1)/2])
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %s | %d of %d |\n", class, kernels, ran, any, strings.Join(cells, " | "), replays, any)
	}
}
