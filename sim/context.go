package sim

import (
	"context"
	"time"
	"unsafe"

	"github.com/muxsim/muxsim/scheduler"
)

// WithTimeout is context.WithTimeout on the runtime's clock.
func (rt *Runtime) WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return rt.WithDeadline(parent, rt.Now().Add(d))
}

// WithDeadline is context.WithDeadline on the runtime's clock. Under simulation the
// context is cancelled by a virtual timer, with no goroutine: it implements the AfterFunc
// method, through which the standard library registers children synchronously, so
// children derived with context.WithCancel report the exact errors (DeadlineExceeded).
func (rt *Runtime) WithDeadline(parent context.Context, deadline time.Time) (context.Context, context.CancelFunc) {
	if rt.s == nil {
		return context.WithDeadline(parent, deadline)
	}
	return rt.newDeadlineCtx(parent, deadline)
}

// deadlineCtx is a context cancelled by a virtual timer. All its state is touched only
// by tasks and scheduler callbacks, one at a time, so it needs no lock.
type deadlineCtx struct {
	parent     context.Context
	deadline   time.Time
	done       chan struct{}
	err        error
	cause      error
	afters     []*afterFunc
	timer      *scheduler.Timer
	stopParent func() bool
}

type afterFunc struct {
	f       func()
	stopped bool
}

//go:norace
func (rt *Runtime) newDeadlineCtx(parent context.Context, deadline time.Time) (*deadlineCtx, context.CancelFunc) {
	c := &deadlineCtx{parent: parent, deadline: deadline, done: make(chan struct{})}
	if pd, ok := parent.Deadline(); ok && pd.Before(deadline) {
		c.deadline = pd
	}
	cancel := func() { c.cancel(context.Canceled, context.Canceled) }
	if err := parent.Err(); err != nil {
		c.cancel(err, context.Cause(parent))
		return c, cancel
	}
	fromParent := func() { c.cancel(parent.Err(), context.Cause(parent)) }
	if parent.Done() != nil {
		if a, ok := parent.(interface{ AfterFunc(func()) func() bool }); ok {
			c.stopParent = a.AfterFunc(fromParent)
		} else {
			// A foreign parent (the standard library's cancelCtx) offers no synchronous
			// hook, and context.AfterFunc would start a goroutine: the scheduler polls
			// its Done channel at each decision instead.
			c.stopParent = rt.s.Watch(scheduler.ChanWaitable(parent.Done(), 0, "parent context"), fromParent)
		}
	}
	if c.err == nil {
		d := c.deadline.Sub(scheduler.Epoch.Add(rt.s.Now()))
		c.timer = rt.s.AfterFunc(d, func() { c.cancel(context.DeadlineExceeded, context.DeadlineExceeded) })
	}
	return c, cancel
}

//go:norace
func (c *deadlineCtx) cancel(err, cause error) {
	if c.err != nil {
		return
	}
	if cause == nil {
		cause = err
	}
	scheduler.RaceRelease(unsafe.Pointer(c))
	c.err, c.cause = err, cause
	close(c.done)
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.stopParent != nil {
		c.stopParent()
	}
	scheduler.RaceAcquire(unsafe.Pointer(&c.afters))
	for _, a := range c.afters {
		if !a.stopped {
			a.stopped = true
			a.f()
		}
	}
	c.afters = nil
}

func (c *deadlineCtx) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *deadlineCtx) Done() <-chan struct{} { return c.done }

//go:norace
func (c *deadlineCtx) Err() error {
	if c.err != nil {
		scheduler.RaceAcquire(unsafe.Pointer(c))
	}
	return c.err
}

// Value passes through to the parent. For the standard library's cancelCtx lookup this
// finds an ancestor whose Done differs from ours, so children fall back to AfterFunc.
func (c *deadlineCtx) Value(key any) any { return c.parent.Value(key) }

// AfterFunc runs f, synchronously and in registration order, when the context is
// cancelled (at once if it already is). It is the hook context.WithCancel uses for
// children of custom contexts.
//
//go:norace
func (c *deadlineCtx) AfterFunc(f func()) func() bool {
	if c.err != nil {
		f()
		return func() bool { return false }
	}
	a := &afterFunc{f: f}
	c.afters = append(c.afters, a)
	// Registering happens before the callback runs, whichever task cancels.
	scheduler.RaceReleaseMerge(unsafe.Pointer(&c.afters))
	return func() bool {
		if a.stopped {
			return false
		}
		a.stopped = true
		return true
	}
}

func (c *deadlineCtx) String() string { return "sim.WithDeadline(" + c.deadline.String() + ")" }
