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

// job is one (scenario, seed) run.
type job struct {
	sc   *catalog.Scenario
	seed uint64
}

// batchSize bounds how many runs are in flight and buffered before their results are
// printed in order.
const batchSize = 256

// jobs yields the sweep's runs in order, scenario by scenario, that belong to the shard.
func (cfg *invocation) jobs(yield func(job) bool) {
	k := uint64(0)
	for _, sc := range cfg.scenarios {
		stop := false
		runfile.Each(cfg.seeds, func(seed uint64) bool {
			mine := cfg.shard.has(k)
			k++
			stop = mine && !yield(job{sc, seed})
			return !stop
		})
		if stop {
			return
		}
	}
}

// total counts the shard's runs.
func (cfg *invocation) total() uint64 {
	n := uint64(0)
	for range cfg.jobs {
		n++
	}
	return n
}

// runJobs runs jobs on cfg.parallel workers and calls emit with each result in job order.
// emit returning false stops the sweep after the current batch.
func runJobs(cfg *invocation, jobs func(yield func(job) bool), emit func(result) bool, prog *progress) {
	batch := make([]job, 0, batchSize)
	results := make([]result, batchSize)
	flush := func() bool {
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(cfg.parallel, len(batch)) {
			wg.Go(func() {
				for i := range next {
					results[i] = cfg.runOne(batch[i])
					prog.done.Add(1)
				}
			})
		}
		for i := range batch {
			next <- i
		}
		close(next)
		wg.Wait()
		for i := range batch {
			if !emit(results[i]) {
				return false
			}
		}
		batch = batch[:0]
		return true
	}
	stopped := false
	jobs(func(j job) bool {
		batch = append(batch, j)
		if len(batch) == batchSize && !flush() {
			stopped = true
			return false
		}
		return true
	})
	if !stopped && len(batch) > 0 {
		flush()
	}
}

// runOne runs a job, twice with -check-determinism.
func (cfg *invocation) runOne(j job) result {
	start := time.Now()
	var r result
	if cfg.checkDeterminism {
		r = checkDeterminism(cfg, j)
	} else {
		r = newResult(j.sc, j.sc.Run(cfg.options(j.sc.Name, j.seed)))
	}
	r.wall = time.Since(start)
	return r
}

// tally is one scenario's totals over a sweep.
type tally struct {
	runs, failed int
	firstFail    uint64
	wall         time.Duration
	bundles      int
}

func sweep(cfg *invocation, stdout, stderr io.Writer) int {
	single := runfile.Count(cfg.seeds) == 1 && cfg.shard == all
	tallies := make(map[string]*tally)
	cfg.coverage = make(map[string]*sim.Coverage)
	for _, sc := range cfg.scenarios {
		tallies[sc.Name] = &tally{}
		cfg.coverage[sc.Name] = &sim.Coverage{}
	}
	reported := make(map[string]bool)
	start := time.Now()
	prog := startProgress(stderr, cfg.total())
	runJobs(cfg, cfg.jobs, func(r result) bool {
		t := tallies[r.Scenario]
		t.runs++
		t.wall += r.wall
		if !r.OK {
			if t.failed == 0 {
				t.firstFail = r.Seed
			}
			t.failed++
		}
		switch {
		case cfg.json:
			r.json(stdout)
		case single || cfg.verbose || !r.OK:
			fmt.Fprintln(stdout, r.line())
		}
		if !r.OK {
			cfg.onFailure(r, t, !reported[r.Scenario], stderr)
			reported[r.Scenario] = true
		}
		return true
	}, prog)
	prog.end()
	if single {
		if cfg.traceFile != "" && len(cfg.scenarios) == 1 {
			if err := writeTrace(cfg, cfg.scenarios[0], cfg.seeds[0].Lo, cfg.traceFile); err != nil {
				cfg.errorf(stderr, "-trace: %v\n", err)
				return 2
			}
		}
		return exitStatus(tallies)
	}
	if !cfg.json {
		printSummary(cfg, tallies, time.Since(start), stdout)
	}
	return exitStatus(tallies)
}

// onFailure prints the first failure of a scenario in full and writes failure bundles.
func (cfg *invocation) onFailure(r result, t *tally, first bool, stderr io.Writer) {
	if first && !cfg.json {
		r.report(stderr, cfg)
	}
	if cfg.outDir != "" && t.bundles < bundlesMax {
		t.bundles++
		if path, err := writeBundle(cfg, r); err != nil {
			cfg.errorf(stderr, "failure bundle: %v\n", err)
		} else if first {
			fmt.Fprintf(stderr, "bundle: %s\n", path)
		}
	}
}

func exitStatus(tallies map[string]*tally) int {
	for _, t := range tallies {
		if t.failed > 0 {
			return 1
		}
	}
	return 0
}

// printSummary prints a line per scenario, the unexplored Sometimes sites, and the totals.
func printSummary(cfg *invocation, tallies map[string]*tally, elapsed time.Duration, w io.Writer) {
	runs, failed := 0, 0
	slowest, slowestPer := "", time.Duration(0)
	for _, sc := range cfg.scenarios {
		t := tallies[sc.Name]
		runs += t.runs
		failed += t.failed
		first := "-"
		if t.failed > 0 {
			first = fmt.Sprint(t.firstFail)
		}
		fmt.Fprintf(w, "summary scenario=%s runs=%d failed=%d first_failure=%s\n", sc.Name, t.runs, t.failed, first)
		for _, site := range cfg.coverage[sc.Name].Unexplored() {
			fmt.Fprintf(w, "unexplored scenario=%s sometimes=%q (reached, never true)\n", sc.Name, site)
		}
		if t.runs > 0 && t.wall/time.Duration(t.runs) > slowestPer {
			slowest, slowestPer = sc.Name, t.wall/time.Duration(t.runs)
		}
	}
	fmt.Fprintf(w, "total runs=%d failed=%d shard=%s wall=%v rate=%.0f/s slowest=%s (%v/run)\n",
		runs, failed, cfg.shard, elapsed.Round(time.Millisecond), float64(runs)/elapsed.Seconds(),
		slowest, slowestPer.Round(time.Microsecond))
}
