package demo

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/simtest"
)

// counter runs three tasks that each add 1 to a shared count. With racy set, each reads
// the count and writes it back in separate critical sections, with a scheduling point
// between them: a preemption there loses an update.
func counter(racy bool) func(rt *sim.Runtime) {
	return func(rt *sim.Runtime) {
		count := 0
		mu := rt.NewMutex("count")
		g := rt.NewGroup("adders")
		for i := range 3 {
			g.Go(fmt.Sprint("adder-", i), func() {
				mu.Lock()
				v := count
				if racy {
					mu.Unlock()
					rt.Yield()
					mu.Lock()
				}
				count = v + 1
				mu.Unlock()
			})
		}
		g.Wait()
		rt.Always(count == 3, fmt.Sprintf("count is %d after 3 adds", count))
	}
}

func needDemo(t *testing.T) {
	if os.Getenv("SIMTEST_DEMO") != "1" {
		t.Skip("fails on purpose: simtest's tests run it with SIMTEST_DEMO=1")
	}
}

// TestBuggy fails: some seed loses an update.
func TestBuggy(t *testing.T) {
	needDemo(t)
	simtest.Check(t, simtest.Options{}, counter(true))
}

// TestBuggySub fails in a subtest whose name needs quoting in the -run pattern.
func TestBuggySub(t *testing.T) {
	needDemo(t)
	t.Run("lost update (3 adders)", func(t *testing.T) {
		simtest.Check(t, simtest.Options{}, counter(true))
	})
}

// TestFixed passes every seed.
func TestFixed(t *testing.T) {
	simtest.Check(t, simtest.Options{}, counter(false))
}

// hangTimeout is TestHang's deadline: short, since it is sure to pass it.
const hangTimeout = 500 * time.Millisecond

// TestHang blocks forever on a channel under simtest.Real, with a helper goroutine it
// started blocked too; a goroutine the test started before Real is not the body's. It
// must fail after hangTimeout with the body's and the helper's stacks, not the
// outsider's, and the state's answer.
func TestHang(t *testing.T) {
	needDemo(t)
	never := make(chan struct{})
	go outsider(never)
	simtest.Real(t, sim.RealOptions{Timeout: hangTimeout, State: func() string { return "demo state: waiting on never" }},
		func(t *testing.T) {
			go blockedHelper(never)
			blockOnChannel(never)
		})
	t.Error("Real returned after its body hung")
}

func outsider(never chan struct{})       { <-never }
func blockedHelper(never chan struct{})  { <-never }
func blockOnChannel(never chan struct{}) { <-never }

// TestBodyFatal fails in its body with t.Fatal: Real ends the test there too.
func TestBodyFatal(t *testing.T) {
	needDemo(t)
	simtest.Real(t, sim.RealOptions{}, func(t *testing.T) { t.Fatal("body failed on purpose") })
	t.Error("Real returned after its body called t.Fatal")
}

// TestBodyPanic panics in its body: the panic comes out of the test with the body's stack.
func TestBodyPanic(t *testing.T) {
	needDemo(t)
	simtest.Real(t, sim.RealOptions{}, func(t *testing.T) { panicInBody() })
}

func panicInBody() { panic("body panicked on purpose") }
