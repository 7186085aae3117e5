// Two tests for simrun test's own flags: one that fails on some schedules and not on
// others (a lost update), and one whose run depends on map iteration order, which the
// translator leaves random, so that a seed run twice may differ.
package simrun

import (
	"runtime"
	"sync"
	"testing"
)

// TestLostUpdate: two goroutines read, yield and write back a counter; a schedule that
// runs both reads before either write loses an update.
func TestLostUpdate(t *testing.T) {
	var wg sync.WaitGroup
	n := 0
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := n
			runtime.Gosched()
			n = v + 1
		}()
	}
	wg.Wait()
	if n != 2 {
		t.Fatalf("lost update: n=%d, want 2", n)
	}
}

// calls counts TestGlobalState's runs in this process: state that outlives a run, which
// no seed controls.
var calls int

// TestGlobalState starts one goroutine more on every call, so that two runs of one seed
// in one process differ: the nondeterminism -check-determinism exists to catch.
func TestGlobalState(t *testing.T) {
	calls++
	var wg sync.WaitGroup
	for range calls {
		wg.Add(1)
		go wg.Done()
	}
	wg.Wait()
}
