package sim_test

import (
	"fmt"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// Cache memoises a loader with a time to live. It is written against *sim.Runtime rather
// than sync and time, so the simulator can schedule it.
type Cache struct {
	rt     *sim.Runtime
	mu     *sim.Mutex
	ttl    time.Duration
	items  map[string]entry
	load   func(key string) string
	racy   bool // the planted bug: check and fill in separate critical sections
	loaded map[string]int
}

type entry struct {
	val     string
	expires time.Time
}

func NewCache(rt *sim.Runtime, ttl time.Duration, racy bool, load func(string) string) *Cache {
	return &Cache{rt: rt, mu: rt.NewMutex("cache"), ttl: ttl, items: map[string]entry{},
		load: load, racy: racy, loaded: map[string]int{}}
}

// Get returns the value for key, loading it when it is missing or expired. Each fresh
// entry must be loaded once, however many callers miss at the same moment.
func (c *Cache) Get(key string) string {
	c.mu.Lock()
	if e, ok := c.items[key]; ok && c.rt.Now().Before(e.expires) {
		c.mu.Unlock()
		return e.val
	}
	if c.racy {
		// The bug: the lock is dropped between the miss and the fill, so a second caller
		// that misses in between loads the same key again.
		c.mu.Unlock()
		c.mu.Lock()
	}
	v := c.load(key)
	c.loaded[key]++
	c.items[key] = entry{val: v, expires: c.rt.Now().Add(c.ttl)}
	c.mu.Unlock()
	return v
}

// workload runs three readers against one key; the invariant is that the key was loaded
// once per time-to-live period.
func workload(racy bool) func(rt *sim.Runtime) {
	return func(rt *sim.Runtime) {
		c := NewCache(rt, time.Minute, racy, func(k string) string { return "value of " + k })
		g := rt.NewGroup("readers")
		for i := range 3 {
			g.Go(fmt.Sprintf("reader-%d", i), func() { c.Get("k") })
		}
		g.Wait()
		rt.Always(c.loaded["k"] == 1, fmt.Sprintf("key loaded %d times within one TTL", c.loaded["k"]))
	}
}

// Example puts a user's component, a cache with expiry, under the simulator: a sweep of
// seeds finds the interleaving that breaks its invariant, the failing seed replays with
// the same trace hash, and the fixed cache passes every seed.
func Example() {
	var o sim.Options
	o.Strategy = sim.Random
	for seed := uint64(1); seed <= 100; seed++ {
		o.Seed = seed
		v := sim.Run(o, workload(true))
		if v.OK() {
			continue
		}
		fmt.Printf("seed %d: %s\n", seed, v.Failure.Message)
		again := sim.Run(o, workload(true))
		fmt.Println("replays with the same hash:", again.Hash == v.Hash)
		break
	}
	failures := 0
	for seed := uint64(1); seed <= 500; seed++ {
		o.Seed = seed
		if v := sim.Run(o, workload(false)); !v.OK() {
			failures++
		}
	}
	fmt.Println("fixed cache, failures in 500 seeds:", failures)
	// Output:
	// seed 1: always: key loaded 3 times within one TTL
	// replays with the same hash: true
	// fixed cache, failures in 500 seeds: 0
}
