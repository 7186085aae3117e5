package gort

import (
	"context"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// Sleep is time.Sleep on the run's virtual clock. As Go's, a zero or negative d returns
// at once, with no scheduling point: a zero-duration timer would instead wait until
// every other task blocks, which turned a loop of `f(); time.Sleep(0)` into one
// iteration per quiescence and hid kubernetes_13135's AB-BA deadlock. Not even a yield:
// under PCT a yield demotes the task, which Go's Sleep(0) does not.
func Sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	rt().Sleep(context.Background(), d)
}

// Now is time.Now on the run's virtual clock (starting at sim.Epoch).
func Now() time.Time { return rt().Now() }

// Since is time.Since on the run's clock.
func Since(t time.Time) time.Duration { return rt().Since(t) }

// Until is time.Until on the run's clock.
func Until(t time.Time) time.Duration { return rt().Until(t) }

// Timer is time.Timer on the run's clock, with Go 1.23's semantics: after Stop or Reset
// returns, no stale value is received from C.
type Timer struct {
	C *Chan[time.Time]
	t *sim.Timer
}

// NewTimer is time.NewTimer.
//
//go:norace
func NewTimer(d time.Duration) *Timer {
	r := rt()
	t := &Timer{C: timeChan()}
	t.t = r.AfterFunc(d, func() { t.C.offer(r.Now()) })
	return t
}

// timeChan is a timer's channel: a buffer of one, which the timer fills only when empty.
//
//go:norace
func timeChan() *Chan[time.Time] {
	c := &Chan[time.Time]{cap: 1, name: "timer " + site(2)}
	c.get()
	return c
}

// offer sends v if there is room: what a timer does from scheduler context, where it must
// not block.
//
//go:norace
func (c *Chan[T]) offer(v T) {
	if ch := c.get(); ch.Len() < ch.Cap() {
		ch.Send(v)
	}
}

// drain takes a buffered value, if any, and reports whether there was one.
//
//go:norace
func (c *Chan[T]) drain() bool {
	if c == nil || c.get().Len() == 0 {
		return false
	}
	i, _ := rt().Select(context.Background(), c.get().RecvCase(nil), sim.Default)
	return i == 0
}

// Stop is time.Timer.Stop: it reports whether it stopped the timer before its value was
// received.
//
//go:norace
func (t *Timer) Stop() bool {
	active := t.t.Stop()
	if t.C.drain() {
		active = true
	}
	return active
}

// Reset is time.Timer.Reset.
//
//go:norace
func (t *Timer) Reset(d time.Duration) bool {
	active := t.Stop()
	t.t.Reset(d)
	return active
}

// After is time.After.
func After(d time.Duration) *Chan[time.Time] { return NewTimer(d).C }

// AfterFunc is time.AfterFunc: f runs in its own task once d has passed.
//
//go:norace
func AfterFunc(d time.Duration, f func()) *Timer {
	r := rt()
	name := "afterfunc@" + site(1)
	return &Timer{t: r.AfterFunc(d, func() { r.Go(name, f) })}
}

// Ticker is time.Ticker on the run's clock: it drops ticks for a slow receiver, as Go's.
type Ticker struct {
	C       *Chan[time.Time]
	d       time.Duration
	t       *sim.Timer
	stopped bool
}

// NewTicker is time.NewTicker; d must be positive.
//
//go:norace
func NewTicker(d time.Duration) *Ticker {
	if d <= 0 {
		panic("non-positive interval for NewTicker")
	}
	tk := &Ticker{C: timeChan(), d: d}
	tk.arm()
	return tk
}

//go:norace
func (tk *Ticker) arm() {
	r := rt()
	tk.t = r.AfterFunc(tk.d, func() {
		if tk.stopped {
			return
		}
		tk.C.offer(r.Now())
		tk.arm()
	})
}

// Stop is time.Ticker.Stop.
//
//go:norace
func (tk *Ticker) Stop() {
	tk.stopped = true
	tk.t.Stop()
	tk.C.drain()
}

// Reset is time.Ticker.Reset.
//
//go:norace
func (tk *Ticker) Reset(d time.Duration) {
	if d <= 0 {
		panic("non-positive interval for Ticker.Reset")
	}
	tk.t.Stop()
	tk.C.drain()
	tk.stopped, tk.d = false, d
	tk.arm()
}

// Tick is time.Tick (nil for a non-positive d).
func Tick(d time.Duration) *Chan[time.Time] {
	if d <= 0 {
		return nil
	}
	return NewTicker(d).C
}

// WithTimeout is context.WithTimeout on the run's clock, cancelled by a virtual timer.
func WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return rt().WithTimeout(parent, d)
}

// WithDeadline is context.WithDeadline on the run's clock.
func WithDeadline(parent context.Context, deadline time.Time) (context.Context, context.CancelFunc) {
	return rt().WithDeadline(parent, deadline)
}
