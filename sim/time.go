package sim

import (
	"context"
	"time"

	"github.com/muxsim/muxsim/scheduler"
)

// Micros is n microseconds: a short way to write seeded delays.
func Micros(n int) time.Duration { return time.Duration(n) * time.Microsecond }

// Timer fires its event once its duration has passed on the runtime's clock. A Timer is
// not safe for concurrent use: Stop and Reset come from one task at a time.
type Timer struct {
	rt   *Runtime
	ev   *Event // NewTimer's; nil for AfterFunc's
	f    func() // what the timer calls when it expires
	real *time.Timer
	st   *scheduler.Timer
}

// NewTimer returns a timer whose C fires after d.
//
//go:norace
func (rt *Runtime) NewTimer(d time.Duration) *Timer {
	t := &Timer{rt: rt, ev: rt.NewEvent("timer")}
	t.f = fireFunc(t.ev)
	t.arm(d)
	return t
}

// fireFunc fires ev: bound to one event, so that a Reset that replaces the event does
// not race with a callback already running under the real runtime.
//
//go:norace
func fireFunc(ev *Event) func() { return func() { ev.Fire() } }

// AfterFunc calls f after d. Under simulation f runs in scheduler context, between tasks:
// it may fire events, set signals, cancel contexts or spawn tasks, and must not block.
// Under the real runtime it runs on its own goroutine, as time.AfterFunc does.
//
//go:norace
func (rt *Runtime) AfterFunc(d time.Duration, f func()) *Timer {
	t := &Timer{rt: rt, f: f}
	t.arm(d)
	return t
}

//go:norace
func (t *Timer) arm(d time.Duration) {
	if t.rt.s == nil {
		t.real = time.AfterFunc(d, t.f)
	} else {
		t.st = t.rt.s.AfterFunc(d, t.f)
	}
}

// Reset re-arms the timer to expire after d on the runtime's clock and reports whether
// it had been active (false if it had expired or been stopped), as time.Timer.Reset
// does. An expired NewTimer's event has fired for good: Reset gives the timer a fresh
// event, so call C again after it. An AfterFunc timer calls its function again.
//
//go:norace
func (t *Timer) Reset(d time.Duration) bool {
	if t.ev != nil && t.ev.Fired() {
		t.Stop()
		t.ev = t.rt.NewEvent("timer")
		t.f = fireFunc(t.ev)
		t.arm(d)
		return false
	}
	if t.real != nil {
		return t.real.Reset(d)
	}
	active := t.st.Stop()
	t.arm(d)
	return active
}

// C fires when the timer expires (nil for timers made by AfterFunc). After a Reset of an
// expired timer it is a new event.
//
//go:norace
func (t *Timer) C() *Event { return t.ev }

// Stop prevents the timer from firing and reports whether it did so.
//
//go:norace
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
