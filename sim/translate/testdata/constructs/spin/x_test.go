// A loop polling with select default, and one polling an atomic flag, for what a sleeping
// goroutine does: time passes while they spin. A named channel type works as its channel.
package spin

import (
	"sync/atomic"
	"testing"
	"time"
)

type signal <-chan struct{}

func after(d time.Duration) signal {
	ch := make(chan struct{})
	go func() {
		time.Sleep(d)
		close(ch)
	}()
	return signal(ch)
}

func TestSpin(t *testing.T) {
	done := after(time.Millisecond)
	spins := 0
	for {
		select {
		case <-done:
			var flag int32
			go func() {
				time.Sleep(time.Millisecond)
				atomic.StoreInt32(&flag, 1)
			}()
			for atomic.LoadInt32(&flag) == 0 {
			}
			if spins == 0 {
				t.Fatal("the sleeper finished before the first poll")
			}
			return
		default:
			spins++
		}
	}
}
