// Once runs its function once, and every Do returns after it has run.
package once

import (
	"sync"
	"testing"
)

func TestOnce(t *testing.T) {
	var once sync.Once
	var wg sync.WaitGroup
	calls, seen := 0, 0
	var mu sync.Mutex
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { calls++ })
			mu.Lock()
			seen += calls
			mu.Unlock()
		}()
	}
	wg.Wait()
	if calls != 1 || seen != 8 {
		t.Fatalf("calls %d seen %d, want 1 and 8", calls, seen)
	}
}
