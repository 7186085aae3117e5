package bad

import (
	"sync"
	"testing"
	"time"
)

// Test files drive the simulator from outside it: nothing here is reported.
func TestOutside(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); time.Sleep(time.Millisecond) }()
	wg.Wait()
}
