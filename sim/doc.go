// Package sim is the runtime that code under test is written against instead of go,
// sync, time, select and math/rand, with two implementations behind one API: Real()
// (goroutines, sync, the wall clock) and the simulated runtime that Run provides
// (every blocking primitive is a scheduling point of a seeded scheduler, time is
// virtual).
//
// # Writing code that runs under the simulator
//
//  1. Take a *Runtime (default Real()) and use it for everything that blocks or reads
//     time: rt.Go instead of go; rt.NewMutex, rt.NewCond instead of sync; NewChan(rt,
//     name, capacity) instead of make(chan T, n), with Send, Recv, Recv2, Close and All
//     for the channel operations; rt.Select or rt.Wait instead of select, with
//     ch.SendCase(v), ch.RecvCase(&v) and Default as its cases beside events and timers;
//     rt.Now, rt.Sleep, rt.NewTimer, rt.AfterFunc, rt.WithTimeout instead of time and
//     context deadlines; rt.Rand instead of math/rand.
//  2. Give every task an owner that waits for it (rt.NewGroup); a task alive after the
//     main function returns is a leak verdict, and a task of a group that ends after the
//     group's owner (the task that made it) returned, with no Wait on the group after it,
//     is an orphan verdict (the group may be handed to another task that waits).
//  3. Plain context.WithCancel and context.WithCancelCause are fine: cancellation is
//     synchronous. context.WithTimeout, context.AfterFunc and time.AfterFunc are not:
//     they use the wall clock or start goroutines.
//  4. Do not range over maps where the order can reach behaviour or output; sort keys.
//     Do not print pointers. Marshal protobufs with Deterministic: true where the bytes
//     are hashed or compared.
//  5. State invariants with rt.Always and rt.Unreachable (a violation fails the run at its
//     step) and interesting interleavings with rt.Sometimes (a sweep reports sites that
//     no seed reached). Put fault points where a real failure could happen:
//     if rt.Fault("component.site") { return errInjected }.
//
// Virtual time is exact unless the run perturbs it: with Options.TimeJitter, a strategy
// named with +jitter, or in half of the portfolio's members, a timer (Sleep, NewTimer,
// AfterFunc, a deadline context) may fire up to a quarter of its duration late, together
// with timers due shortly after, in a drawn order; never early. Code under test must not
// rely on two timers firing at distinct instants or in the order of their deadlines,
// which real clocks do not promise either.
//
// Run a function under the simulator with Run(Options, func(rt *Runtime)); the Verdict
// says whether it passed, how many steps and how much virtual time it took, its trace
// hash and, on failure, everything needed to understand it. The same Options give the
// same verdict.
//
// # Example
//
// A cache written against the runtime, with a planted check-then-fill race: the lock is
// dropped between the miss and the fill, so two readers that miss together load twice.
//
//	func (c *Cache) Get(key string) string {
//		c.mu.Lock()
//		if e, ok := c.items[key]; ok && c.rt.Now().Before(e.expires) {
//			c.mu.Unlock()
//			return e.val
//		}
//		c.mu.Unlock() // the bug: another reader may miss here too
//		c.mu.Lock()
//		v := c.load(key)
//		c.loaded[key]++
//		c.items[key] = entry{val: v, expires: c.rt.Now().Add(c.ttl)}
//		c.mu.Unlock()
//		return v
//	}
//
//	body := func(rt *sim.Runtime) {
//		c := NewCache(rt, time.Minute, load)
//		g := rt.NewGroup("readers")
//		for i := range 3 {
//			g.Go(fmt.Sprintf("reader-%d", i), func() { c.Get("k") })
//		}
//		g.Wait()
//		rt.Always(c.loaded["k"] == 1, fmt.Sprintf("key loaded %d times within one TTL", c.loaded["k"]))
//	}
//	for seed := uint64(1); seed <= 100; seed++ {
//		if v := sim.Run(sim.Options{Seed: seed, Strategy: sim.Random}, body); !v.OK() {
//			fmt.Println(v.Report()) // seed=1 strategy=random: assert at step ...
//			break
//		}
//	}
//
// Random walk finds the race at seed 1, the same Options replay it with the same hash, and
// the cache without the early Unlock passes every seed. The runnable form is Example in
// example_test.go; under go test, simtest.Check does the loop.
//
// Under go test, package sim/simtest does the sweep: simtest.Check(t, opts, body) runs
// body for a fixed list of seeds, reports the Sometimes sites no seed satisfied, and
// fails the test with the failing seed's report and the go test command that replays it.
package sim
