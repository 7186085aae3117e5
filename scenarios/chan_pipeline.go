package scenarios

import (
	"context"
	"fmt"
	"time"

	"github.com/muxsim/muxsim/sim"
)

func init() {
	register(&Scenario{
		Name: "chan-pipeline",
		Doc: "A dispatcher feeds a bounded jobs channel to a pool of workers, which send results " +
			"over an unbuffered channel to a collector that selects on it and an idle timeout; in " +
			"a quarter of the runs the collector stops early and fires a done event that every " +
			"other task selects on. Every job's result arrives at most once, and exactly once in " +
			"a run that is not stopped; the queue stays within its bound; no task is left behind.",
		Params: []Param{
			{Name: "jobs", Doc: "jobs dispatched", Default: 20, Min: 1},
			{Name: "workers", Doc: "worker tasks", Default: 3, Min: 1},
		},
		Real: true, // no network: RunReal checks the same invariants over native channels
		Body: chanPipeline,
	})
}

// chanPipeline's limits: the jobs channel's capacity, a worker's longest job, and how
// long the collector waits for a result before it calls the pool stuck (a job takes at
// most workMax, so a healthy pool never comes near it).
const (
	chanPipelineQueueMax = 4
	chanPipelineWorkMax  = 8 * time.Millisecond
	chanPipelineIdleMax  = 100 * time.Millisecond
)

type chanResult struct{ job, worker int }

func chanPipeline(rt *sim.Runtime) {
	jobsN, workersN := rt.Param("jobs"), rt.Param("workers")
	jobs := sim.NewChan[int](rt, "jobs", chanPipelineQueueMax)
	results := sim.NewChan[chanResult](rt, "results", 0)
	done := rt.NewEvent("done")
	bg := context.Background()
	plan := rt.Rand("chan-pipeline")
	stopAfter := -1 // results the collector takes before it stops the pool; -1: all of them
	if plan.IntN(4) == 0 {
		stopAfter = plan.IntN(jobsN)
	}

	pool := rt.NewGroup("pipeline")
	pool.Go("dispatcher", func() {
		defer jobs.Close()
		for j := range jobsN {
			if i, _ := rt.Select(bg, jobs.SendCase(j), sim.Default); i == 0 {
				continue
			}
			rt.Sometimes(true, "chan-pipeline: the dispatcher found the jobs queue full")
			if i, _ := rt.Select(bg, jobs.SendCase(j), done); i == 1 {
				return
			}
			rt.Always(jobs.Len() <= chanPipelineQueueMax, fmt.Sprintf("jobs queue holds %d, over its bound %d", jobs.Len(), chanPipelineQueueMax))
		}
	})
	for w := range workersN {
		work := rt.Rand(fmt.Sprint("chan-pipeline worker-", w))
		pool.Go(fmt.Sprint("worker-", w), func() {
			for j := range jobs.All() {
				_ = rt.Sleep(bg, time.Duration(work.Int64N(int64(chanPipelineWorkMax))))
				if i, _ := rt.Select(bg, results.SendCase(chanResult{j, w}), done); i == 1 {
					return
				}
			}
		})
	}

	seen := make([]int, jobsN)
	got := 0
	idle := rt.NewTimer(chanPipelineIdleMax)
	var r chanResult
	for got < jobsN {
		if got == stopAfter {
			done.Fire()
			break
		}
		if i, _ := rt.Select(bg, results.RecvCase(&r), idle.C()); i == 1 {
			rt.Fail(fmt.Sprintf("no result for %v with %d of %d jobs in", chanPipelineIdleMax, got, jobsN))
		}
		rt.Always(r.job >= 0 && r.job < jobsN && r.worker >= 0 && r.worker < workersN, fmt.Sprintf("result %+v is no job's", r))
		seen[r.job]++
		rt.Always(seen[r.job] == 1, fmt.Sprintf("job %d's result arrived %d times", r.job, seen[r.job]))
		got++
		// A slow collector now and then, so that workers also block on their sends and the
		// collector completes a waiting sender, not only the other way round.
		if plan.IntN(2) == 0 {
			_ = rt.Sleep(bg, time.Duration(plan.Int64N(int64(chanPipelineWorkMax))))
		}
		idle.Reset(chanPipelineIdleMax)
	}
	idle.Stop()
	pool.Wait()
	stopped := done.Fired()
	rt.Sometimes(stopped, "chan-pipeline: the collector stopped the pool early")
	if !stopped {
		for j, n := range seen {
			rt.Always(n == 1, fmt.Sprintf("job %d's result arrived %d times, want exactly once", j, n))
		}
	}
	rt.Always(results.Len() == 0, "a result left in the unbuffered results channel")
}
