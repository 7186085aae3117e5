package simtest_test

import (
	"fmt"
	"testing"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/simtest"
)

// Queue is a user's component, written against *sim.Runtime: a bounded queue whose Put
// waits while it is full.
type Queue struct {
	mu    *sim.Mutex
	space *sim.Cond
	items []int
	max   int
}

func NewQueue(rt *sim.Runtime, max int) *Queue {
	mu := rt.NewMutex("queue")
	return &Queue{mu: mu, space: rt.NewCond(mu), max: max}
}

func (q *Queue) Put(x int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == q.max {
		q.space.Wait()
	}
	q.items = append(q.items, x)
}

func (q *Queue) Take() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return 0, false
	}
	x := q.items[0]
	q.items = q.items[1:]
	q.space.Signal()
	return x, true
}

// Len returns the number of items queued.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// producersAndConsumer runs two producers and a consumer against a queue of two slots,
// checks the queue's bound at every step and that all six items arrive, and declares the
// interleaving worth reaching: the queue full.
func producersAndConsumer(rt *sim.Runtime) {
	q := NewQueue(rt, 2)
	g := rt.NewGroup("producers")
	for p := range 2 {
		g.Go(fmt.Sprint("producer-", p), func() {
			for i := range 3 {
				q.Put(10*p + i)
			}
		})
	}
	for taken := 0; taken < 6; {
		if _, ok := q.Take(); ok {
			taken++
		} else {
			rt.Yield()
		}
		n := q.Len()
		rt.Always(n <= q.max, "the queue stays within its bound")
		rt.Sometimes(n == q.max, "the queue fills up")
	}
	g.Wait()
}

// ExampleCheck is a test in a user's package: go test sweeps 100 seeds of the body, and
// fails the test if a seed breaks an invariant (with the report and the command that
// replays it) or if no seed filled the queue.
func ExampleCheck() {
	TestQueue := func(t *testing.T) { // in a _test.go file: func TestQueue(t *testing.T)
		simtest.Check(t, simtest.Options{RequireSometimes: true}, producersAndConsumer)
	}
	_ = TestQueue
}
