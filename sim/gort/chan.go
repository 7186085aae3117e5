package gort

import (
	"context"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// Chan is a Go channel under translation: chan T, <-chan T and chan<- T all become
// *Chan[T]. A nil *Chan is a nil channel: operations on it block forever (under
// simulation the task parks, and the run ends in a deadlock or leak verdict naming it);
// as a select case it is never ready. Make one with MakeChan (make(chan T, n)); Ext wraps
// a channel made by code that is not translated (a context's Done).
type Chan[T any] struct {
	c    *sim.Chan[T]
	cap  int
	name string
	b    binding
	ext  <-chan T // a channel from untranslated code; c is nil then
	// closed and real are this run's: whether Close was called, and the real channel
	// Real made for it, which Close closes too.
	closed bool
	real   chan struct{}
	// initClosed: closed outside any run (a package's init), so closed in every run.
	initClosed bool
}

// integer is the types make accepts as a channel's size.
type integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// MakeChan is make(chan T, n). A channel made outside a run (a package-level variable)
// is made on the run's scheduler at its first use in each run.
func MakeChan[T any, N integer](n N) *Chan[T] {
	if n < 0 || uint64(n) > 1<<31 {
		panic(chanError("makechan: size out of range"))
	}
	c := &Chan[T]{cap: int(n), name: site(1)}
	c.get()
	return c
}

// MakeChanOf is make(C, n) for a named channel type C, which the translator makes an
// alias of *Chan[T].
func MakeChanOf[C ~*Chan[T], T any, N integer](n N) C { return MakeChan[T](n) }

// Ext is a channel made by code that is not translated, as a *Chan: receiving works for a
// close-only channel of struct{} (a context's Done), which the scheduler polls; anything
// else panics under simulation. A nil channel gives a nil *Chan.
func Ext[T any](ch <-chan T) *Chan[T] {
	if ch == nil {
		return nil
	}
	return &Chan[T]{ext: ch, name: "external channel"}
}

// Elem returns the zero value of c's element type: how translated selects declare the
// variable a receive case stores into without naming the type.
func Elem[T any](c *Chan[T]) (zero T) { return zero }

// get returns the channel's runtime channel for the current run.
//
//go:norace
func (c *Chan[T]) get() *sim.Chan[T] {
	if c.b.fresh() {
		c.c = sim.NewChan[T](rt(), c.name, c.cap)
		c.closed, c.real = false, nil
		if c.initClosed && current.rt != nil {
			c.c.Close()
			c.closed = true
		}
	}
	return c.c
}

// Real is a close-only channel's real counterpart, for a method that must return a real
// channel: a translated type that implements context.Context keeps Done() <-chan
// struct{}, and the translator wraps what it returns in Real. A channel of untranslated
// code is returned as it is, a nil one as nil; a translated one gets a real channel,
// made at the first call in the run, that its Close closes too (at once if it is closed
// already). Only the close crosses over: a value sent on c never reaches it. Code that
// receives from it is polled, as from any channel of untranslated code (Ext).
//
//go:norace
func Real(c *Chan[struct{}]) <-chan struct{} {
	switch {
	case c == nil:
		return nil
	case c.ext != nil:
		return c.ext
	}
	c.get()
	if c.real == nil {
		c.real = make(chan struct{})
		if c.closed {
			close(c.real)
		}
	}
	return c.real
}

// done returns an external channel as a close-only channel, or panics.
func (c *Chan[T]) done() <-chan struct{} {
	d, ok := any(c.ext).(<-chan struct{})
	if !ok {
		panic("gort: receive from a channel made by untranslated code (only a close-only chan struct{}, such as a context's Done, is supported)")
	}
	return d
}

// never blocks the task forever: an operation on a nil channel.
func never[T any](send bool) {
	var nc *sim.Chan[T]
	w := nc.RecvCase(nil)
	if send {
		var zero T
		w = nc.SendCase(zero)
	}
	rt().Wait(context.Background(), w)
	panic("gort: a nil channel became ready")
}

// Send is ch <- v.
func (c *Chan[T]) Send(v T) {
	switch {
	case c == nil:
		never[T](true)
	case c.ext != nil:
		panic("gort: send on a channel made by untranslated code")
	}
	c.get().Send(v)
}

// Recv is <-ch.
func (c *Chan[T]) Recv() T {
	v, _ := c.Recv2()
	return v
}

// Recv2 is v, ok := <-ch.
func (c *Chan[T]) Recv2() (T, bool) {
	var zero T
	switch {
	case c == nil:
		never[T](false)
	case c.ext != nil:
		rt().Wait(context.Background(), sim.DoneCase(c.done(), c.name))
		return zero, false
	}
	return c.get().Recv2()
}

// Close is close(ch).
func (c *Chan[T]) Close() {
	switch {
	case c == nil:
		panic(closeNil{})
	case c.ext != nil:
		panic("gort: close of a channel made by untranslated code")
	}
	c.get().Close()
	c.markClosed()
}

// markClosed records the close for Real, and closes Real's channel; a close outside
// any run (a package variable's channel closed in init) holds in every run.
//
//go:norace
func (c *Chan[T]) markClosed() {
	c.closed = true
	if current.rt == nil {
		c.initClosed = true
	}
	if c.real != nil {
		close(c.real)
	}
}

// closeNil is the panic of close(nil), a runtime.Error as Go's.
type closeNil struct{}

func (closeNil) Error() string { return "close of nil channel" }
func (closeNil) RuntimeError() {}

// chanError is the panic of a misused channel, a runtime.Error as Go's.
type chanError string

func (e chanError) Error() string { return string(e) }
func (e chanError) RuntimeError() {}

// Len is len(ch).
func (c *Chan[T]) Len() int {
	if c == nil || c.ext != nil {
		if c != nil {
			return len(c.ext)
		}
		return 0
	}
	return c.get().Len()
}

// Cap is cap(ch).
func (c *Chan[T]) Cap() int {
	if c == nil || c.ext != nil {
		if c != nil {
			return cap(c.ext)
		}
		return 0
	}
	return c.cap
}

// First starts for v := range ch, which the translator makes a three-clause loop: the
// channel, evaluated once, and its first receive; each later one is c.Recv2().
func First[T any](c *Chan[T]) (*Chan[T], T, bool) {
	v, ok := c.Recv2()
	return c, v, ok
}

// SendCase is the select case "case ch <- v".
func (c *Chan[T]) SendCase(v T) sim.Waitable {
	switch {
	case c == nil:
		return (*sim.Chan[T])(nil).SendCase(v)
	case c.ext != nil:
		panic("gort: send on a channel made by untranslated code")
	}
	return c.get().SendCase(v)
}

// RecvCase is the select case "case *dst = <-ch" (dst nil: "case <-ch").
func (c *Chan[T]) RecvCase(dst *T) sim.Waitable {
	switch {
	case c == nil:
		return (*sim.Chan[T])(nil).RecvCase(dst)
	case c.ext != nil:
		return sim.DoneCase(c.done(), c.name)
	}
	return c.get().RecvCase(dst)
}

// RecvCase2 is the select case "case *dst, *ok = <-ch".
func (c *Chan[T]) RecvCase2(dst *T, ok *bool) sim.Waitable {
	switch {
	case c == nil:
		return (*sim.Chan[T])(nil).RecvCase2(dst, ok)
	case c.ext != nil:
		*ok = false // a close-only channel only ever delivers its close
		return sim.DoneCase(c.done(), c.name)
	}
	return c.get().RecvCase2(dst, ok)
}

// Default is the default clause of a select, as one of Select's cases.
var Default = sim.Default

// Select is a select statement: it returns the index of the case that proceeded (with
// Default among the cases, Default's index when no other case is ready). With no cases it
// blocks forever, as select {} does. A select that takes its default is a poll (PollEvery).
func Select(cases ...sim.Waitable) int {
	r := rt()
	i, _ := r.Select(context.Background(), cases...)
	if i >= 0 && cases[i] == sim.Default {
		poll(r)
	}
	return i
}

// Every PollEvery-th poll of a run (a select that took its default, Gosched, an atomic
// load or compare-and-swap) waits PollDelay of virtual time. Virtual time advances only
// when no task can run, so without it a loop polling for what a sleeping task will do
// would keep the clock still and the sleeper asleep for ever; on a real machine the loop
// takes time (here 64 polls a microsecond, about 16ns each). Waiting after a poll is a
// delay the Go spec allows any goroutine. It is not every poll: a wait lasts until every
// other task blocks, which would bias the schedule against polling tasks.
const (
	PollDelay = time.Microsecond
	PollEvery = 64
)

// polls counts the current run's polls.
var polls struct {
	n uint64
	b binding
}

// poll is a polling task's turn to wait, under simulation only.
//
//go:norace
func poll(r *sim.Runtime) {
	if !r.Simulated() {
		return
	}
	if polls.b.fresh() {
		polls.n = 0
	}
	polls.n++
	if polls.n%PollEvery == 0 {
		r.Sleep(context.Background(), PollDelay)
	}
}
