package sim_test

import (
	"context"
	"fmt"

	"github.com/muxsim/muxsim/sim"
)

// squares feeds five jobs to two workers over a buffered channel and sums their results
// from an unbuffered one. Which worker takes which job depends on the schedule; the sum
// does not.
func squares(rt *sim.Runtime) int {
	jobs := sim.NewChan[int](rt, "jobs", 2)
	results := sim.NewChan[int](rt, "results", 0)
	tasks := rt.NewGroup("tasks")
	tasks.Go("feeder", func() {
		for j := range 5 {
			jobs.Send(j)
		}
		jobs.Close()
	})
	for w := range 2 {
		tasks.Go(fmt.Sprint("worker-", w), func() {
			for j := range jobs.All() {
				results.Send(j * j)
			}
		})
	}
	sum := 0
	for range 5 {
		sum += results.Recv()
	}
	tasks.Wait()
	// A select with Default does not block: nothing is left to receive.
	if i, _ := rt.Select(context.Background(), results.RecvCase(nil), sim.Default); i != 1 {
		panic("a result was left over")
	}
	return sum
}

// ExampleChan runs the same channel code on real goroutines and under the simulator, and
// shows how a deadlock verdict names the channel a task is stuck on.
func ExampleChan() {
	fmt.Println("real:", squares(sim.Real()))
	var sum int
	v := sim.Run(sim.Options{Seed: 7}, func(rt *sim.Runtime) { sum = squares(rt) })
	fmt.Println("simulated:", sum, v.OK())

	v = sim.Run(sim.Options{}, func(rt *sim.Runtime) {
		jobs := sim.NewChan[int](rt, "jobs", 1)
		jobs.Send(1)
		jobs.Send(2) // nobody receives
	})
	fmt.Println(v.Failure.Kind, "on", v.Tasks[0].Waiting)
	// Output:
	// real: 30
	// simulated: 30 true
	// deadlock on sending on chan "jobs"#1 (cap 1, full)
}
