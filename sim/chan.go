package sim

import (
	"iter"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/muxsim/muxsim/scheduler"
)

// Chan is a typed channel on the runtime: Go's channel semantics, with every operation a
// scheduling point under simulation. Make one with NewChan.
//
// Semantics are those of the Go spec:
//   - Capacity 0 is a rendezvous: Send completes only when a receiver takes the value.
//     With capacity n, Send blocks while n values are buffered; values arrive in FIFO
//     order.
//   - Close wakes every blocked receiver. A receive from a closed channel first drains
//     the buffered values, then returns the zero value at once (Recv2 reports false).
//     Send on a closed channel panics "send on closed channel", a second Close panics
//     "close of closed channel", and Close of a nil *Chan panics "close of nil channel";
//     the panic values implement runtime.Error, as Go's do. Under simulation a panic is
//     a verdict of kind panic with that message.
//   - A nil *Chan is a nil channel: as a Select case (SendCase, RecvCase) it is never
//     ready, and Len and Cap are 0. Send and Recv on a nil *Chan block forever under the
//     real runtime. Under simulation a nil *Chan does not know its run, so it cannot
//     park the task on the scheduler: a direct Send or Recv on it panics with
//     "send on nil chan blocks forever" (or receive), a verdict at the offending step
//     where Go would deadlock or leak the goroutine. Use a nil channel as a disabled
//     Select case, where it behaves exactly like Go's.
//   - The memory model holds under the race detector: a send happens before the
//     matching receive completes, a receive from an unbuffered channel happens before
//     the send completes, the kth receive from a channel of capacity C happens before
//     the (k+C)th send completes, and Close happens before a receive that returns
//     because the channel is closed.
//
// Under the real runtime a Chan is a plain Go channel (chan T) and every operation is
// the native one. Under simulation it is a buffer owned by the scheduler: blocked tasks
// wait on it, deadlock reports name it (`sending on chan "jobs"#3 (cap 2, full)`), and
// when several Select cases are ready the schedule chooses, so that the choice is
// replayed and shrunk with the rest of the run.
//
// Select over channels with rt.Select and the cases SendCase, RecvCase and RecvCase2,
// mixed freely with Events, Notifies and Timers; add Default as a case for a
// non-blocking select. Len and Cap are not scheduling points.
type Chan[T any] struct {
	real chan T // the real runtime's channel; nil under simulation

	s      *scheduler.Sched
	id     int64
	name   string
	cap    int
	buf    []T // ring of cap values
	head   int
	n      int
	closed bool
	slots  []byte // race-detector sync addresses, one per buffer slot (-race only)

	// The offers of tasks blocked on an unbuffered channel, oldest first: a counterpart
	// completes the oldest live one.
	sendq, recvq []*chanOp[T]
	sendWL       scheduler.WaitList // tasks blocked with a send case on this channel
	recvWL       scheduler.WaitList // tasks blocked with a receive case on this channel
}

// NewChan returns a channel of the given capacity (0 for unbuffered) on rt; name appears
// in traces and deadlock reports. A negative capacity panics, as make does.
//
//go:norace
func NewChan[T any](rt *Runtime, name string, capacity int) *Chan[T] {
	if capacity < 0 {
		panic(chanError("makechan: size out of range"))
	}
	if rt.s == nil {
		return &Chan[T]{real: make(chan T, capacity), name: name, cap: capacity}
	}
	c := &Chan[T]{s: rt.s, id: rt.s.NewID(), name: name, cap: capacity, buf: make([]T, capacity)}
	if scheduler.RaceEnabled {
		c.slots = make([]byte, capacity)
	}
	return c
}

// chanError is the panic value of a misused channel: a runtime.Error, as Go's own.
type chanError string

func (e chanError) Error() string { return string(e) }
func (e chanError) RuntimeError() {}

// Send sends v, blocking until there is room in the buffer or, unbuffered, until a
// receiver takes it.
//
//go:norace
func (c *Chan[T]) Send(v T) {
	if c == nil {
		blockNil("send on nil chan")
		return
	}
	if c.s == nil {
		c.real <- v
		return
	}
	c.do(&chanOp[T]{c: c, send: true, val: v})
}

// Recv receives a value, blocking until one is available; once the channel is closed
// and drained it returns the zero value at once.
func (c *Chan[T]) Recv() T {
	v, _ := c.Recv2()
	return v
}

// Recv2 is Recv that also reports whether the value came from a send (true) or is the
// zero value of a closed, drained channel (false): Go's v, ok := <-ch.
//
//go:norace
func (c *Chan[T]) Recv2() (T, bool) {
	if c == nil {
		blockNil("receive from nil chan")
		var zero T
		return zero, false
	}
	if c.s == nil {
		v, ok := <-c.real
		return v, ok
	}
	op := &chanOp[T]{c: c}
	op.dst, op.okDst = &op.got, &op.gotOK
	c.do(op)
	return op.got, op.gotOK
}

// Close closes the channel: receivers drain what is buffered, then get the zero value;
// senders panic. Under simulation it is a scheduling point.
//
//go:norace
func (c *Chan[T]) Close() {
	if c == nil {
		panic(chanError("close of nil channel"))
	}
	if c.s == nil {
		close(c.real)
		return
	}
	if c.closed {
		panic(chanError("close of closed channel"))
	}
	scheduler.RaceRelease(unsafe.Pointer(&c.closed))
	c.closed = true
	c.s.Wake(&c.recvWL)
	c.s.Wake(&c.sendWL)
	c.s.Point()
}

// Len returns the number of buffered values (always 0 for an unbuffered channel).
//
//go:norace
func (c *Chan[T]) Len() int {
	if c == nil {
		return 0
	}
	if c.s == nil {
		return len(c.real)
	}
	return c.n
}

// Cap returns the channel's capacity.
//
//go:norace
func (c *Chan[T]) Cap() int {
	if c == nil {
		return 0
	}
	return c.cap
}

// All returns the received values until the channel is closed and drained: for v :=
// range ch.All() is Go's for v := range ch.
func (c *Chan[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for {
			v, ok := c.Recv2()
			if !ok || !yield(v) {
				return
			}
		}
	}
}

// String names the channel for debug output.
func (c *Chan[T]) String() string {
	if c == nil {
		return "nil chan"
	}
	return c.describe()
}

//go:norace
func (c *Chan[T]) describe() string {
	return "chan " + strconv.Quote(c.name) + "#" + strconv.FormatInt(c.id, 10)
}

// do runs one blocking channel operation under simulation: a scheduling point, then the
// operation at once if it can proceed, else an offer (unbuffered) and a wait.
//
//go:norace
func (c *Chan[T]) do(op *chanOp[T]) {
	c.s.Point()
	if !op.ready() {
		op.self.done = -1
		op.enlist(&op.self, 0)
		for !op.ready() {
			c.s.Wait(op)
		}
		op.delist()
	}
	op.taken()
}

// blockNil is a direct operation on a nil *Chan. Under the real runtime it blocks forever
// on a nil channel, as Go does; inside a simulated task, which a nil *Chan cannot park on
// its scheduler, it panics (see Chan).
func blockNil(what string) {
	if inSimTask() {
		panic(chanError(what + " blocks forever"))
	}
	var never chan struct{}
	<-never
}

// inSimTask reports whether the caller runs as a simulated task, from its stack: the
// scheduler roots every task in Sched.taskMain.
func inSimTask() bool {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	for n == len(pcs) { // the root is the last frame: get them all
		pcs = make([]uintptr, 2*len(pcs))
		n = runtime.Callers(2, pcs)
	}
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "github.com/muxsim/muxsim/scheduler.(*Sched).taskMain") {
			return true
		}
		if !more {
			return false
		}
	}
}
