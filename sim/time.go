package sim

import (
	"context"
	"time"

	"github.com/muxsim/muxsim/scheduler"
)

// Duration is n microseconds: a short way to write seeded delays.
func Duration(n int) time.Duration { return time.Duration(n) * time.Microsecond }

// Timer fires its event once its duration has passed on the runtime's clock.
type Timer struct {
	ev   *Event
	real *time.Timer
	st   *scheduler.Timer
}

// NewTimer returns a timer whose C fires after d.
func (rt *Runtime) NewTimer(d time.Duration) *Timer {
	t := &Timer{ev: rt.NewEvent("timer")}
	t.arm(rt, d, func() { t.ev.Fire() })
	return t
}

// AfterFunc calls f after d. Under simulation f runs in scheduler context, between tasks:
// it may fire events, set signals, cancel contexts or spawn tasks, and must not block.
// Under the real runtime it runs on its own goroutine, as time.AfterFunc does.
func (rt *Runtime) AfterFunc(d time.Duration, f func()) *Timer {
	t := &Timer{}
	t.arm(rt, d, f)
	return t
}

func (t *Timer) arm(rt *Runtime, d time.Duration, f func()) {
	if rt.s == nil {
		t.real = time.AfterFunc(d, f)
	} else {
		t.st = rt.s.AfterFunc(d, f)
	}
}

// C fires when the timer expires (nil for timers made by AfterFunc).
func (t *Timer) C() *Event { return t.ev }

// Stop prevents the timer from firing and reports whether it did so.
func (t *Timer) Stop() bool {
	if t.real != nil {
		return t.real.Stop()
	}
	return t.st.Stop()
}

// After returns an event that fires after d.
func (rt *Runtime) After(d time.Duration) *Event { return rt.NewTimer(d).C() }

// Sleep pauses the task for d, or until ctx is done, in which case it returns ctx.Err().
// Under simulation a sleep costs no wall time: the clock jumps when every task waits.
func (rt *Runtime) Sleep(ctx context.Context, d time.Duration) error {
	t := rt.NewTimer(d)
	if err := rt.Wait(ctx, t.C()); err != nil {
		t.Stop()
		return err
	}
	return nil
}
