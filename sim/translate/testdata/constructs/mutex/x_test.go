// Mutex keeps a read-modify-write with a yield inside it atomic.
package mutex

import (
	"runtime"
	"sync"
	"testing"
)

func TestMutex(t *testing.T) {
	var mu sync.Mutex
	var rw sync.RWMutex
	var wg sync.WaitGroup
	n := 0
	for i := 0; i < 4; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			mu.Lock()
			v := n
			runtime.Gosched()
			n = v + 1
			mu.Unlock()
		}()
		go func() {
			defer wg.Done()
			rw.RLock()
			_ = n
			rw.RUnlock()
		}()
	}
	wg.Wait()
	if n != 4 {
		t.Fatalf("n = %d, want 4", n)
	}
}
