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

// TestMapOrder starts as many goroutines as the first key map iteration gives, so that
// its trace differs between two runs of one seed.
func TestMapOrder(t *testing.T) {
	m := map[int]bool{}
	for i := range 8 {
		m[i] = true
	}
	first := 0
	for k := range m {
		first = k
		break
	}
	var wg sync.WaitGroup
	for range first {
		wg.Add(1)
		go wg.Done()
	}
	wg.Wait()
}
