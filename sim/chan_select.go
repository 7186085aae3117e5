package sim

import (
	"reflect"
	"strconv"
	"unsafe"

	"github.com/muxsim/muxsim/scheduler"
)

// SendCase is the select case "ch <- v": Select returns its index once v was sent.
// Sending on a closed channel panics when the case is chosen; a nil *Chan's case is
// never ready. A case belongs to one task, which may reuse it across Selects (it sends
// the same v each time).
func (c *Chan[T]) SendCase(v T) Waitable { return &chanOp[T]{c: c, send: true, val: v} }

// RecvCase is the select case "*dst = <-ch": when Select returns its index, the value
// received is in *dst (the zero value if the channel is closed and drained). dst may be
// nil to discard the value. A nil *Chan's case is never ready.
func (c *Chan[T]) RecvCase(dst *T) Waitable { return &chanOp[T]{c: c, dst: dst} }

// RecvCase2 is the select case "*dst, *ok = <-ch": RecvCase that also stores whether
// the value came from a send (true) or from a closed, drained channel (false).
func (c *Chan[T]) RecvCase2(dst *T, ok *bool) Waitable {
	return &chanOp[T]{c: c, dst: dst, okDst: ok}
}

// Default is the default clause of a select, listed among Select's cases: when no other
// case is ready (and ctx is not done), Select returns Default's index at once instead of
// blocking. Under simulation that Select is still a scheduling point. At most one
// Default per Select; it is not meant for Wait.
var Default Waitable = defaultCase{}

type defaultCase struct{}

func (defaultCase) waitChan() <-chan struct{}    { return nil }
func (defaultCase) waitable() scheduler.Waitable { return defaultCase{} }
func (defaultCase) taken()                       {}

// The scheduler's view of Default: never ready; Select returns before it would block.
func (defaultCase) Ready() bool                  { return false }
func (defaultCase) WaitID() int64                { return 0 }
func (defaultCase) Describe() string             { return "default" }
func (defaultCase) Waiters() *scheduler.WaitList { return nil }

// chanCase is a channel operation as a Select case, whatever the element type.
type chanCase interface {
	Waitable
	// selectCase is the real runtime's reflect case.
	selectCase() reflect.SelectCase
	// try performs the operation under the real runtime if it can proceed without
	// blocking, and reports whether it did.
	try() bool
	// received stores what a real reflect.Select received for this case.
	received(v reflect.Value, ok bool)
	// enlist makes the case an offer of sel's blocked task, as case i; delist withdraws it.
	enlist(sel *selector, i int)
	delist()
}

// selector is one blocked Select's shared state: a counterpart that completes one of its
// offers (an unbuffered send or receive) records which, so that Select returns that case
// and no other.
type selector struct {
	done int // the case completed by a counterpart, -1 while none is
}

// chanOp is one send or receive on a Chan: a Select case, and under simulation the
// scheduler's waitable for a task blocked on it.
type chanOp[T any] struct {
	c         *Chan[T]
	send      bool
	val       T     // the value a send sends
	dst       *T    // where a receive stores its value, or nil
	okDst     *bool // where a receive stores ok, or nil
	sel       *selector
	idx       int
	committed bool               // a counterpart completed this offer
	wl        scheduler.WaitList // a nil channel's list: nothing ever wakes it

	// A direct Send or Recv's own selector and received value, in the op so that a
	// blocking operation allocates nothing else.
	self  selector
	got   T
	gotOK bool
}

func (op *chanOp[T]) waitChan() <-chan struct{}    { return nil }
func (op *chanOp[T]) waitable() scheduler.Waitable { return op }

//go:norace
func (op *chanOp[T]) Ready() bool { return op.ready() }

// ready reports whether the operation can complete now.
//
//go:norace
func (op *chanOp[T]) ready() bool {
	c := op.c
	switch {
	case c == nil:
		return false
	case op.committed, c.closed:
		return true
	case op.send && c.cap > 0:
		return c.n < c.cap
	case op.send:
		return c.offer(c.recvq, op.sel) != nil
	case c.cap > 0:
		return c.n > 0
	}
	return c.offer(c.sendq, op.sel) != nil
}

// offer returns the oldest live offer of q that is not own's: the counterpart an
// unbuffered operation completes.
//
//go:norace
func (c *Chan[T]) offer(q []*chanOp[T], own *selector) *chanOp[T] {
	for _, o := range q {
		if o.sel.done < 0 && o.sel != own {
			return o
		}
	}
	return nil
}

//go:norace
func (op *chanOp[T]) WaitID() int64 {
	if op.c == nil {
		return 0
	}
	return op.c.id
}

//go:norace
func (op *chanOp[T]) Waiters() *scheduler.WaitList {
	switch {
	case op.c == nil:
		return &op.wl
	case op.send:
		return &op.c.sendWL
	}
	return &op.c.recvWL
}

//go:norace
func (op *chanOp[T]) Describe() string {
	verb, peer := "receiving from ", "sender"
	if op.send {
		verb, peer = "sending on ", "receiver"
	}
	c := op.c
	if c == nil {
		return verb + "nil chan"
	}
	var state string
	switch {
	case c.closed:
		state = "closed"
	case c.cap == 0:
		state = "unbuffered, no " + peer
	case c.n == c.cap:
		state = "cap " + strconv.Itoa(c.cap) + ", full"
	case c.n == 0:
		state = "cap " + strconv.Itoa(c.cap) + ", empty"
	default:
		state = "cap " + strconv.Itoa(c.cap) + ", len " + strconv.Itoa(c.n)
	}
	return verb + c.describe() + " (" + state + ")"
}

// taken performs the operation, which is ready, under simulation: Select chose it, or a
// counterpart already did the transfer.
//
//go:norace
func (op *chanOp[T]) taken() {
	if op.committed {
		op.committed = false
		scheduler.RaceAcquire(unsafe.Pointer(op)) // the counterpart's side of the handoff
		return
	}
	if op.send {
		op.c.sendNow(op)
	} else {
		op.c.recvNow(op)
	}
}

//go:norace
func (c *Chan[T]) sendNow(op *chanOp[T]) {
	if c.closed {
		panic(chanError("send on closed channel"))
	}
	if c.cap > 0 {
		i := (c.head + c.n) % c.cap
		c.buf[i] = op.val
		c.n++
		c.raceSlot(i)
		c.s.Wake(&c.recvWL)
		return
	}
	r := c.offer(c.recvq, op.sel)
	scheduler.RaceAcquire(unsafe.Pointer(r))
	r.deliver(op.val, true)
	r.committed, r.sel.done = true, r.idx
	scheduler.RaceRelease(unsafe.Pointer(r))
	c.s.Wake(&c.recvWL)
}

//go:norace
func (c *Chan[T]) recvNow(op *chanOp[T]) {
	var zero T
	if c.n > 0 {
		i := c.head
		v := c.buf[i]
		c.buf[i] = zero // the buffer must not keep what it handed out alive
		c.head = (c.head + 1) % c.cap
		c.n--
		c.raceSlot(i)
		op.deliver(v, true)
		c.s.Wake(&c.sendWL)
		return
	}
	if c.closed {
		scheduler.RaceAcquire(unsafe.Pointer(&c.closed))
		op.deliver(zero, false)
		return
	}
	sd := c.offer(c.sendq, op.sel)
	scheduler.RaceAcquire(unsafe.Pointer(sd))
	v := sd.val
	sd.committed, sd.sel.done = true, sd.idx
	scheduler.RaceRelease(unsafe.Pointer(sd))
	op.deliver(v, true)
	c.s.Wake(&c.sendWL)
}

// raceSlot declares the edges of buffer slot i, as Go's runtime does: a send into the
// slot happens before the receive from it, and that receive before the next send into it.
//
//go:norace
func (c *Chan[T]) raceSlot(i int) {
	if c.slots != nil {
		scheduler.RaceAcquire(unsafe.Pointer(&c.slots[i]))
		scheduler.RaceRelease(unsafe.Pointer(&c.slots[i]))
	}
}

//go:norace
func (op *chanOp[T]) deliver(v T, ok bool) {
	if op.dst != nil {
		*op.dst = v
	}
	if op.okDst != nil {
		*op.okDst = ok
	}
}

// enlist makes op an offer of a task about to block in a Select as its case i. Only an
// unbuffered channel takes offers: a counterpart completes the transfer with the blocked
// task, as Go's runtime does with a waiting goroutine.
//
//go:norace
func (op *chanOp[T]) enlist(sel *selector, i int) {
	op.sel, op.idx = sel, i
	c := op.c
	if c == nil || c.cap > 0 {
		return
	}
	scheduler.RaceRelease(unsafe.Pointer(op)) // what the task did before it blocked
	if op.send {
		c.sendq = append(c.sendq, op)
		c.s.Wake(&c.recvWL)
	} else {
		c.recvq = append(c.recvq, op)
		c.s.Wake(&c.sendWL)
	}
}

//go:norace
func (op *chanOp[T]) delist() {
	op.sel = nil
	c := op.c
	if c == nil || c.cap > 0 {
		return
	}
	if op.send {
		c.sendq = removeOp(c.sendq, op)
	} else {
		c.recvq = removeOp(c.recvq, op)
	}
}

// removeOp removes op from q, keeping the order (offers complete oldest first).
//
//go:norace
func removeOp[T any](q []*chanOp[T], op *chanOp[T]) []*chanOp[T] {
	for i, o := range q {
		if o == op {
			for j := i; j+1 < len(q); j++ { // not copy: it would be race-instrumented
				q[j] = q[j+1]
			}
			q[len(q)-1] = nil
			return q[:len(q)-1]
		}
	}
	return q
}

func (op *chanOp[T]) selectCase() reflect.SelectCase {
	dir := reflect.SelectRecv
	if op.send {
		dir = reflect.SelectSend
	}
	if op.c == nil {
		return reflect.SelectCase{Dir: dir} // a zero Chan: reflect.Select ignores the case
	}
	sc := reflect.SelectCase{Dir: dir, Chan: reflect.ValueOf(op.c.real)}
	if op.send {
		sc.Send = reflect.ValueOf(&op.val).Elem()
	}
	return sc
}

func (op *chanOp[T]) try() bool {
	if op.c == nil {
		return false
	}
	if op.send {
		select {
		case op.c.real <- op.val:
			return true
		default:
			return false
		}
	}
	select {
	case v, ok := <-op.c.real:
		if op.dst != nil { // not deliver: under the real runtime the race detector sees this write
			*op.dst = v
		}
		if op.okDst != nil {
			*op.okDst = ok
		}
		return true
	default:
		return false
	}
}

func (op *chanOp[T]) received(v reflect.Value, ok bool) {
	if op.dst != nil {
		if ok {
			reflect.ValueOf(op.dst).Elem().Set(v)
		} else {
			var zero T
			*op.dst = zero
		}
	}
	if op.okDst != nil {
		*op.okDst = ok
	}
}
