// WaitGroup waits for every goroutine, and can be reused once its counter is back to 0.
package waitgroup

import (
	"sync"
	"testing"
)

func TestWaitGroup(t *testing.T) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	for round := 1; round <= 2; round++ {
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				mu.Lock()
				n += k
				mu.Unlock()
			}(1)
		}
		wg.Wait()
		if n != 5*round {
			t.Fatalf("round %d: n = %d after Wait, want %d", round, n, 5*round)
		}
	}
}
