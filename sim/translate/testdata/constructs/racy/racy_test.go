// Data races on every schedule: under -race the detector reports each test's, natively
// and translated.
package racy

import (
	"sync"
	"testing"
)

// TestCounter: two goroutines increment a counter with no synchronisation between them.
func TestCounter(t *testing.T) {
	var wg sync.WaitGroup
	n := 0
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++
		}()
	}
	wg.Wait()
	_ = n
}

// TestReaders: two goroutines write under the read lock, which orders readers after
// writers but not after each other.
func TestReaders(t *testing.T) {
	var rw sync.RWMutex
	var wg sync.WaitGroup
	last := 0
	for i := 1; i <= 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rw.RLock()
			last = i
			rw.RUnlock()
		}()
	}
	wg.Wait()
	_ = last
}
