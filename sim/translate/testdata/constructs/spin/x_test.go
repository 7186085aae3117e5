// A loop polling with select default, and one polling an atomic flag, for what a sleeping
// goroutine does: time passes while they spin, so both loops end. (How often the first
// spins is the schedule's: a goroutine stalled for a millisecond may find the sleeper
// done at its first poll.) A named channel type works as its channel.
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
			t.Logf("%d polls before the sleeper finished", spins)
			return
		default:
			spins++
		}
	}
}
