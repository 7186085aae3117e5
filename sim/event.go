package sim

import (
	"strconv"
	"sync/atomic"
	"unsafe"

	"github.com/muxsim/muxsim/scheduler"
)

// Waitable is anything Select can wait on: an Event, a Notify, a Signal's Done, a Timer's
// C, a channel operation (Chan.SendCase, Chan.RecvCase, Chan.RecvCase2), or Default.
type Waitable interface {
	// waitChan is the channel the real runtime selects on.
	waitChan() <-chan struct{}
	// waitable is what the scheduler polls.
	waitable() scheduler.Waitable
	// taken is called under simulation when Select returns this waitable, so that a
	// Notify can consume its token as a channel receive would.
	taken()
}

// Event is a one-shot broadcast, like closing a channel: once fired, it stays fired and
// every waiter proceeds.
type Event struct {
	ch    chan struct{} // real runtime: closed by Fire
	done  atomic.Bool   // real runtime
	s     *scheduler.Sched
	id    int64
	name  string
	fired bool
	wl    scheduler.WaitList
}

// NewEvent returns an unfired event; name appears in reports.
//
//go:norace
func (rt *Runtime) NewEvent(name string) *Event {
	e := &Event{s: rt.s, name: name}
	if rt.s == nil {
		e.ch = make(chan struct{})
	} else {
		e.id = rt.s.NewID()
	}
	return e
}

// Fire fires the event and reports whether this call did (false if it had fired before).
// Under simulation it is a scheduling point when called from a task.
//
//go:norace
func (e *Event) Fire() bool {
	if e.s == nil {
		if e.done.CompareAndSwap(false, true) {
			close(e.ch)
			return true
		}
		return false
	}
	if e.fired {
		return false
	}
	scheduler.RaceRelease(unsafe.Pointer(e))
	e.fired = true
	e.s.Wake(&e.wl)
	e.s.Point()
	return true
}

// Fired reports whether the event has fired. Seeing it fired orders what the firing task
// did before Fire, as a wait on the event would: polling Fired is synchronisation too.
//
//go:norace
func (e *Event) Fired() bool {
	if e.s == nil {
		return e.done.Load()
	}
	if !e.fired {
		return false
	}
	scheduler.RaceAcquire(unsafe.Pointer(e))
	return true
}

//go:norace
func (e *Event) waitChan() <-chan struct{} { return e.ch }

//go:norace
func (e *Event) waitable() scheduler.Waitable { return (*eventWait)(e) }

//go:norace
func (e *Event) taken() { scheduler.RaceAcquire(unsafe.Pointer(e)) }

// eventWait is the scheduler's view of an Event: ready once fired.
type eventWait Event

//go:norace
func (e *eventWait) Ready() bool { return e.fired }

//go:norace
func (e *eventWait) WaitID() int64 { return e.id }

//go:norace
func (e *eventWait) Waiters() *scheduler.WaitList { return &e.wl }

//go:norace
func (e *eventWait) Describe() string {
	return "event " + strconv.Quote(e.name) + "#" + strconv.FormatInt(e.id, 10)
}

// Notify is a level-triggered wakeup with room for one pending token, like a channel of
// capacity one: Notify never blocks, and a wait consumes the token.
type Notify struct {
	ch      chan struct{} // real runtime, capacity 1
	s       *scheduler.Sched
	id      int64
	name    string
	pending bool
	wl      scheduler.WaitList
}

// NewNotify returns a Notify with no token pending.
//
//go:norace
func (rt *Runtime) NewNotify(name string) *Notify {
	n := &Notify{s: rt.s, name: name}
	if rt.s == nil {
		n.ch = make(chan struct{}, 1)
	} else {
		n.id = rt.s.NewID()
	}
	return n
}

// Notify leaves a token if none is pending. Under simulation it is a scheduling point.
//
//go:norace
func (n *Notify) Notify() {
	if n.s == nil {
		select {
		case n.ch <- struct{}{}:
		default:
		}
		return
	}
	scheduler.RaceRelease(unsafe.Pointer(n))
	n.pending = true
	n.s.Wake(&n.wl)
	n.s.Point()
}

//go:norace
func (n *Notify) waitChan() <-chan struct{} { return n.ch }

//go:norace
func (n *Notify) waitable() scheduler.Waitable { return (*notifyWait)(n) }

//go:norace
func (n *Notify) taken() {
	n.pending = false
	scheduler.RaceAcquire(unsafe.Pointer(n))
}

// notifyWait is the scheduler's view of a Notify: ready while a token is pending.
type notifyWait Notify

//go:norace
func (n *notifyWait) Ready() bool { return n.pending }

//go:norace
func (n *notifyWait) WaitID() int64 { return n.id }

//go:norace
func (n *notifyWait) Waiters() *scheduler.WaitList { return &n.wl }

//go:norace
func (n *notifyWait) Describe() string {
	return "notify " + strconv.Quote(n.name) + "#" + strconv.FormatInt(n.id, 10)
}

// Signal is a one-shot error: the first Set wins, and Done fires with it. It is how a
// connection records why it died (drpcsignal's semantics).
type Signal struct {
	ev  *Event
	err error
}

// NewSignal returns an unset signal.
func (rt *Runtime) NewSignal(name string) *Signal { return &Signal{ev: rt.NewEvent(name)} }

// Set records err (which must not be nil) and fires Done if the signal was unset; it
// reports whether this call set it.
//
//go:norace
func (sg *Signal) Set(err error) bool {
	if err == nil {
		panic("sim: Signal.Set(nil)")
	}
	if sg.ev.s == nil {
		// The CAS decides the winner; the error is written before the channel is closed,
		// which orders it before every reader that saw Done.
		if !sg.ev.done.CompareAndSwap(false, true) {
			return false
		}
		sg.err = err
		close(sg.ev.ch)
		return true
	}
	if sg.ev.fired {
		return false
	}
	sg.err = err
	sg.ev.Fire()
	return true
}

// Err returns the error the signal was set with, or nil if it is unset.
//
//go:norace
func (sg *Signal) Err() error {
	if sg.ev.s == nil {
		select {
		case <-sg.ev.ch:
			return sg.err
		default:
			return nil
		}
	}
	if !sg.ev.fired {
		return nil
	}
	scheduler.RaceAcquire(unsafe.Pointer(sg.ev))
	return sg.err
}

// IsSet reports whether the signal has been set.
func (sg *Signal) IsSet() bool { return sg.Err() != nil }

// Done fires when the signal is set.
func (sg *Signal) Done() *Event { return sg.ev }
