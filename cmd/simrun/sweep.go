package main

import (
	"fmt"
	"io"
	"sync"

	"muxsim/scenarios"
	"muxsim/sim"
)

// job is one (scenario, seed) run.
type job struct {
	sc   *scenarios.Scenario
	seed uint64
}

// batchSize bounds how many runs are in flight and buffered before their results are
// printed in order.
const batchSize = 256

// runJobs runs jobs on cfg.parallel workers and calls emit with each result in job order.
// emit returning false stops the sweep after the current batch.
func runJobs(cfg *config, jobs func(yield func(job) bool), emit func(result) bool) {
	batch := make([]job, 0, batchSize)
	results := make([]result, batchSize)
	flush := func() bool {
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(cfg.parallel, len(batch)) {
			wg.Go(func() {
				for i := range next {
					j := batch[i]
					results[i] = newResult(j.sc, j.sc.Run(cfg.options(j.sc.Name, j.seed)))
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

// tally is one scenario's totals over a sweep.
type tally struct {
	runs, failed int
	firstFail    uint64
}

func sweep(cfg *config, stdout, stderr io.Writer) int {
	single := count(cfg.seeds) == 1
	tallies := make(map[string]*tally)
	for _, sc := range cfg.scenarios {
		tallies[sc.Name] = &tally{}
	}
	reported := make(map[string]bool)
	cfg.coverage = make(map[string]*sim.Coverage)
	for _, sc := range cfg.scenarios {
		cfg.coverage[sc.Name] = &sim.Coverage{}
	}
	runJobs(cfg, func(yield func(job) bool) {
		for _, sc := range cfg.scenarios {
			stop := false
			each(cfg.seeds, func(seed uint64) bool {
				stop = !yield(job{sc, seed})
				return !stop
			})
			if stop {
				return
			}
		}
	}, func(r result) bool {
		t := tallies[r.Scenario]
		t.runs++
		if !r.OK && t.failed == 0 {
			t.firstFail = r.Seed
		}
		if !r.OK {
			t.failed++
		}
		switch {
		case cfg.json:
			r.json(stdout)
		case single || cfg.verbose || !r.OK:
			fmt.Fprintln(stdout, r.line())
		}
		// One full report per scenario: the first failure is the one to read.
		if !r.OK && !reported[r.Scenario] && !cfg.json {
			reported[r.Scenario] = true
			r.report(stderr, cfg)
		}
		return true
	})
	failed := 0
	for _, sc := range cfg.scenarios {
		t := tallies[sc.Name]
		failed += t.failed
		if !single && !cfg.json {
			first := "-"
			if t.failed > 0 {
				first = fmt.Sprint(t.firstFail)
			}
			fmt.Fprintf(stdout, "summary scenario=%s runs=%d failed=%d first_failure=%s\n", sc.Name, t.runs, t.failed, first)
			for _, site := range cfg.coverage[sc.Name].Unexplored() {
				fmt.Fprintf(stdout, "unexplored scenario=%s sometimes=%q (reached, never true)\n", sc.Name, site)
			}
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}
