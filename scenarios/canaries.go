package scenarios

import (
	"fmt"

	"github.com/muxsim/muxsim/sim"
)

// Canaries are tiny programs with a planted race of a known kind. They measure the
// framework: each must be found, by the strategy that fits its kind, within a bounded
// number of seeds (the README's table), and every failing seed must replay.
func init() {
	register(
		&Scenario{
			Name:   "canary-lost-update",
			Canary: true,
			Doc: "Three tasks increment a shared counter with a read and a write in separate " +
				"critical sections, so an increment can be lost. A shallow, symmetric race: random " +
				"walk finds it in a few seeds.",
			Params: []Param{{Name: "tasks", Doc: "incrementing tasks", Default: 3, Min: 2}},
			Body:   lostUpdate,
		},
		&Scenario{
			Name:   "canary-ordering",
			Canary: true,
			Doc: "A worker releases its buffer after a long run of unrelated steps, and an observer " +
				"that reads the buffer assumes the worker is still busy. The observer must run after " +
				"the whole prefix: random walk almost never gets there, PCT often does.",
			Body: ordering,
		},
		&Scenario{
			Name:   "canary-lock-order",
			Canary: true,
			Doc: "Two tasks take the same two mutexes in opposite orders after a few warm-up steps: " +
				"a lock-order deadlock, reported with each task and the mutex it waits on.",
			Body: lockOrder,
		},
		&Scenario{
			Name:   "canary-cond-no-loop",
			Canary: true,
			Doc: "Consumers wait on a condition variable with an if instead of a loop, so a " +
				"consumer woken for an item another consumer took finds the queue empty.",
			Body: condNoLoop,
		},
		&Scenario{
			Name:   "canary-unsynced-counter",
			Canary: true,
			Doc: "Two tasks increment a plain int with no synchronisation. The schedule alone never " +
				"loses an update (one task runs at a time), so it passes in simulation: only the " +
				"race detector, with the channel baton, reports it.",
			Body: func(rt *sim.Runtime) { counter(rt, false) },
		},
	)
}

func lostUpdate(rt *sim.Runtime) {
	tasks := rt.Param("tasks")
	mu := rt.NewMutex("counter")
	n := 0
	wg := rt.NewGroup("tasks")
	for i := range tasks {
		wg.Go(fmt.Sprintf("incr-%d", i), func() {
			mu.Lock()
			v := n
			mu.Unlock()
			mu.Lock()
			n = v + 1
			mu.Unlock()
		})
	}
	wg.Wait()
	rt.Always(n == tasks, fmt.Sprintf("counter is %d after %d increments", n, tasks))
}

func ordering(rt *sim.Runtime) {
	const prefix = 30
	mu := rt.NewMutex("state")
	buf := []byte("payload")
	progress := 0
	wg := rt.NewGroup("tasks")
	wg.Go("worker", func() {
		for range prefix {
			mu.Lock()
			progress++
			mu.Unlock()
		}
		mu.Lock()
		buf = nil // released once the work is done
		mu.Unlock()
	})
	wg.Go("observer", func() {
		mu.Lock()
		defer mu.Unlock()
		rt.Always(buf != nil, fmt.Sprintf("observer read the buffer after the worker released it (progress %d)", progress))
	})
	wg.Wait()
}

func lockOrder(rt *sim.Runtime) {
	a, b := rt.NewMutex("a"), rt.NewMutex("b")
	warm := rt.NewMutex("warm-up")
	take := func(first, second *sim.Mutex) {
		for range 5 {
			warm.Lock()
			//lint:ignore SA2001 the empty critical sections are warm-up scheduling points
			warm.Unlock()
		}
		first.Lock()
		second.Lock()
		//lint:ignore SA2001 holding both is the point; nothing happens inside
		second.Unlock()
		first.Unlock()
	}
	wg := rt.NewGroup("tasks")
	wg.Go("ab", func() { take(a, b) })
	wg.Go("ba", func() { take(b, a) })
	wg.Wait()
}

func condNoLoop(rt *sim.Runtime) {
	mu := rt.NewMutex("queue")
	cond := rt.NewCond(mu)
	var queue []int
	wg := rt.NewGroup("tasks")
	for i := range 2 {
		wg.Go(fmt.Sprintf("consumer-%d", i), func() {
			mu.Lock()
			defer mu.Unlock()
			if len(queue) == 0 { // the planted bug: should be for
				cond.Wait()
			}
			rt.Always(len(queue) > 0, "consumer woke to an empty queue")
			queue = queue[1:]
		})
	}
	wg.Go("producer", func() {
		for i := range 2 {
			mu.Lock()
			queue = append(queue, i)
			cond.Signal()
			mu.Unlock()
		}
	})
	wg.Wait()
}

// counter increments a shared int from two tasks, under the runtime's mutex or not.
func counter(rt *sim.Runtime, locked bool) {
	mu := rt.NewMutex("counter")
	n := 0
	wg := rt.NewGroup("tasks")
	for i := range 2 {
		wg.Go(fmt.Sprintf("incr-%d", i), func() {
			for range 3 {
				rt.Yield()
				if locked {
					mu.Lock()
				}
				n++
				if locked {
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	rt.Always(n == 6, fmt.Sprintf("counter is %d, want 6", n))
}
