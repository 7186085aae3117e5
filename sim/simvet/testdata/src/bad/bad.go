package bad

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"maps"
	"math/rand"
	randv2 "math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

var mu sync.Mutex // want `simvet\(sync\): sync.Mutex blocks where the scheduler cannot see it`

var hits atomic.Int64 // want `simvet\(sync\): atomic.Int64`

func spawn(f func()) {
	go f() // want `simvet\(go\): bare go statement; use rt.Go so the scheduler sees the task`
}

func choose(a, b chan int) int {
	select { // want `simvet\(select\): select statement`
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

func clock() time.Duration {
	start := time.Now()                 // want `simvet\(time\): time.Now reads the wall clock; use rt.Now`
	time.Sleep(time.Millisecond)        // want `simvet\(time\): time.Sleep`
	<-time.After(time.Second)           // want `simvet\(time\): time.After arms a wall-clock timer; use rt.After`
	t := time.NewTimer(time.Second)     // want `simvet\(time\): time.NewTimer`
	t.Stop()                            // methods on the timer are not reported again
	time.AfterFunc(0, func() {})        // want `simvet\(time\): time.AfterFunc`
	tick := time.NewTicker(time.Second) // want `simvet\(time\): time.NewTicker`
	tick.Stop()
	_ = time.Tick(time.Second) // want `simvet\(time\): time.Tick`
	_ = time.Until(start)      // want `simvet\(time\): time.Until`
	now := time.Now            // want `simvet\(time\): time.Now`
	_ = now
	return time.Since(start) // want `simvet\(time\): time.Since`
}

func deadline(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Second) // want `simvet\(time\): context.WithTimeout arms a wall-clock timer; use rt.WithTimeout`
	defer cancel()
	stop := context.AfterFunc(ctx, func() {}) // want `simvet\(go\): context.AfterFunc starts a goroutine`
	stop()
}

func random(xs []int) int {
	rand.Shuffle(len(xs), func(i, j int) {}) // want `simvet\(rand\): rand.Shuffle draws from the global generator; use rt.Rand\(name\)`
	_ = randv2.IntN(10)                      // want `simvet\(rand\): rand.IntN draws from the global generator`
	_ = randv2.N(time.Second)                // want `simvet\(rand\): rand.N draws`
	_, _ = crand.Read(make([]byte, 8))       // want `simvet\(rand\): rand.Read reads the operating system's entropy`
	return rand.Intn(10)                     // want `simvet\(rand\): rand.Intn`
}

func keys(m map[string]int) []string {
	var out []string
	for k := range m { // want `simvet\(maprange\): range over a map visits entries in random order`
		out = append(out, k)
	}
	return out // not sorted: the order reaches the caller
}

func values(m map[string]int) int {
	sum := 0
	for v := range maps.Values(m) { // want `simvet\(maprange\): range over maps.Values visits entries in random order`
		sum += v
	}
	return sum
}

func yield() {
	runtime.Gosched() // want `simvet\(gosched\): runtime.Gosched yields to the Go scheduler, not ours; use rt.Yield`
}

type logger struct{}

func (logger) Logf(format string, args ...any) {}

func fail(format string, args ...any) error { return nil }

func debug(p *int) string {
	_ = fail("%p", p)                      // want `simvet\(printfp\)`
	logger{}.Logf("%-8p", p)               // want `simvet\(printfp\): %p prints an address`
	_ = fmt.Errorf("at %[1]p: %w", p, nil) // want `simvet\(printfp\)`
	return fmt.Sprintf("%p", p)            // want `simvet\(printfp\): %p prints an address, which differs between runs; print an ID instead`
}

func unsortedAfterAll(m map[string]int, check func(string) bool) []string {
	var out []string
	for k := range m { // want `simvet\(maprange\)`
		if check(k) { // a call in the filter could depend on the order
			out = append(out, k)
		}
	}
	slices.Sort(out)
	for k, v := range m { // want `simvet\(maprange\)`
		out = append(out, fmt.Sprint(k, v)) // a call among the values
	}
	slices.Sort(out)
	return out
}
