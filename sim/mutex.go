package sim

import (
	"strconv"
	"sync"
	"unsafe"

	"github.com/muxsim/muxsim/scheduler"
)

// Mutex is a mutual exclusion lock on the runtime. Under simulation Lock is a scheduling
// point before it acquires, and Unlock one after it releases; a blocked Lock names the
// holder in deadlock reports.
type Mutex struct {
	real  sync.Mutex
	s     *scheduler.Sched
	id    int64
	name  string
	owner *scheduler.Task
	wl    scheduler.WaitList
}

// NewMutex returns an unlocked mutex; name appears in reports.
//
//go:norace
func (rt *Runtime) NewMutex(name string) *Mutex {
	m := &Mutex{s: rt.s, name: name}
	if rt.s != nil {
		m.id = rt.s.NewID()
	}
	return m
}

// Lock acquires the mutex, blocking until it is free.
//
//go:norace
func (m *Mutex) Lock() {
	if m.s == nil {
		m.real.Lock()
		return
	}
	m.s.Point()
	for m.owner != nil {
		m.s.Wait((*mutexWait)(m))
	}
	m.owner = m.s.Current()
	m.s.Held((*mutexWait)(m), true)
	scheduler.RaceAcquire(unsafe.Pointer(m))
}

// TryLock acquires the mutex if it is free and reports whether it did.
//
//go:norace
func (m *Mutex) TryLock() bool {
	if m.s == nil {
		return m.real.TryLock()
	}
	m.s.Point()
	if m.owner != nil {
		return false
	}
	m.owner = m.s.Current()
	m.s.Held((*mutexWait)(m), true)
	scheduler.RaceAcquire(unsafe.Pointer(m))
	return true
}

// Unlock releases the mutex. Unlocking a mutex that is not locked is a bug and panics.
//
//go:norace
func (m *Mutex) Unlock() {
	if m.s == nil {
		m.real.Unlock()
		return
	}
	if m.owner == nil {
		panic("sim: unlock of unlocked mutex " + strconv.Quote(m.name))
	}
	scheduler.RaceRelease(unsafe.Pointer(m))
	m.owner = nil
	m.s.Held((*mutexWait)(m), false)
	m.s.Wake(&m.wl)
	m.s.Point()
}

// mutexWait is the scheduler's view of a Mutex: ready when free.
type mutexWait Mutex

//go:norace
func (m *mutexWait) Ready() bool { return m.owner == nil }

//go:norace
func (m *mutexWait) WaitID() int64 { return m.id }

//go:norace
func (m *mutexWait) Waiters() *scheduler.WaitList { return &m.wl }

//go:norace
func (m *mutexWait) Describe() string {
	d := "mutex " + strconv.Quote(m.name) + "#" + strconv.FormatInt(m.id, 10)
	if m.owner != nil {
		d += " held by " + m.owner.String()
	}
	return d
}

// HolderID is the task that holds the mutex, 0 when it is free (scheduler.Holder).
//
//go:norace
func (m *mutexWait) HolderID() scheduler.TaskID {
	if m.owner == nil {
		return 0
	}
	return m.owner.ID()
}

// Label names the mutex without its holder, for the event tail (scheduler.Labeler).
//
//go:norace
func (m *mutexWait) Label() string {
	return "mutex " + strconv.Quote(m.name) + "#" + strconv.FormatInt(m.id, 10)
}

// Cond is a condition variable on the runtime, tied to a Mutex. Under simulation, Signal
// wakes the waiters in the order they started waiting.
type Cond struct {
	real    *sync.Cond
	m       *Mutex
	id      int64
	waiters []*condWaiter
}

type condWaiter struct {
	c     *Cond
	woken bool
	wl    scheduler.WaitList
}

// NewCond returns a condition variable whose Wait releases and reacquires m.
//
//go:norace
func (rt *Runtime) NewCond(m *Mutex) *Cond {
	c := &Cond{m: m}
	if rt.s == nil {
		c.real = sync.NewCond(&m.real)
	} else {
		c.id = rt.s.NewID()
	}
	return c
}

// Wait atomically unlocks the mutex and suspends the task until Signal or Broadcast wakes
// it, then relocks the mutex. As with sync.Cond, wait in a loop that rechecks the
// condition: a wakeup is not a promise that it holds.
//
//go:norace
func (c *Cond) Wait() {
	if c.real != nil {
		c.real.Wait()
		return
	}
	w := &condWaiter{c: c}
	c.waiters = append(c.waiters, w)
	c.m.Unlock()
	for !w.woken {
		c.m.s.Wait(w)
	}
	scheduler.RaceAcquire(unsafe.Pointer(c))
	c.m.Lock()
}

// Signal wakes the longest-waiting task, if any.
//
//go:norace
func (c *Cond) Signal() {
	if c.real != nil {
		c.real.Signal()
		return
	}
	if len(c.waiters) > 0 {
		scheduler.RaceRelease(unsafe.Pointer(c))
		c.waiters[0].woken = true
		c.m.s.Wake(&c.waiters[0].wl)
		c.waiters[0] = nil
		c.waiters = c.waiters[1:]
	}
	c.m.s.Point()
}

// Broadcast wakes every waiting task.
//
//go:norace
func (c *Cond) Broadcast() {
	if c.real != nil {
		c.real.Broadcast()
		return
	}
	if len(c.waiters) > 0 {
		scheduler.RaceRelease(unsafe.Pointer(c))
	}
	for i, w := range c.waiters {
		w.woken = true
		c.m.s.Wake(&w.wl)
		c.waiters[i] = nil
	}
	c.waiters = c.waiters[:0]
	c.m.s.Point()
}

//go:norace
func (w *condWaiter) Ready() bool { return w.woken }

//go:norace
func (w *condWaiter) WaitID() int64 { return w.c.id }

//go:norace
func (w *condWaiter) Waiters() *scheduler.WaitList { return &w.wl }

//go:norace
func (w *condWaiter) Describe() string {
	return "cond#" + strconv.FormatInt(w.c.id, 10) + " of mutex " + strconv.Quote(w.c.m.name)
}
