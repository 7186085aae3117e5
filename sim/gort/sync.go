package gort

import (
	"context"
	"unsafe"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// Under -race (the race-preserving baton), the shims make the happens-before edges
// Go's own primitives make, and no others, so that the race detector reports the races
// it would report with Go's: Mutex is a sim.Mutex (Unlock → Lock); RWMutex, WaitGroup and
// Cond keep their state under a quiet lock (inner: its edges hidden from the detector,
// its fields read and written in go:norace functions) and declare sync's edges
// themselves: Unlock → RLock and Lock, RUnlock → Lock, Done → Wait's return, none from
// Signal to the waiter (only Cond.L orders them). WaitGroup models Add from zero
// concurrent with Wait as the race Go reports.

// Locker is sync.Locker.
type Locker interface {
	Lock()
	Unlock()
}

// Mutex is sync.Mutex on the current run; the zero value is an unlocked mutex. Lock is a
// scheduling point before it acquires and Unlock one after it releases.
type Mutex struct {
	m *sim.Mutex
	b binding
}

//go:norace
func (m *Mutex) get() *sim.Mutex {
	if m.b.fresh() {
		m.m = rt().NewMutex(site(2))
	}
	return m.m
}

// Lock is sync.Mutex.Lock.
func (m *Mutex) Lock() { m.get().Lock() }

// Unlock is sync.Mutex.Unlock.
func (m *Mutex) Unlock() { m.get().Unlock() }

// TryLock is sync.Mutex.TryLock.
func (m *Mutex) TryLock() bool { return m.get().TryLock() }

// inner is the quiet state lock, with a condition variable, of the shims built on it:
// lock hides the calling task's synchronisation from the race detector until unlock, so
// the shim declares its primitive's edges itself.
type inner struct {
	mu   *sim.Mutex
	cond *sim.Cond
	b    binding
}

// bind reports whether the state is fresh for this run (the caller then resets its own
// fields), making the lock and condition variable named by what.
//
//go:norace
func (in *inner) bind(what string) bool {
	if !in.b.fresh() {
		return false
	}
	r := rt()
	in.mu = r.NewMutex(what + " " + site(4))
	in.cond = r.NewCond(in.mu)
	return true
}

// Each shim's critical section is a go:norace method that hides the task's
// synchronisation from the race detector for its length, with a deferred
// scheduler.RaceEnable: a task killed while it waits inside (a run that ends with it
// blocked in Wait or Lock) unwinds with the detector's sync events on again, so that its
// exit still joins the run (an exit whose release the detector ignored would make the
// task's accesses concurrent with everything after the run, and the next run's a race).

// RWMutex is sync.RWMutex on the current run; the zero value is unlocked. As Go's, a
// blocked Lock keeps new readers out, so a recursive RLock can deadlock with a writer.
type RWMutex struct {
	in      inner // the quiet state lock (see above)
	readers int
	writer  bool
	waiting int  // writers blocked in Lock
	rsem    byte // the race detector's address for Unlock → RLock, Lock (Go's readerSem)
	wsem    byte // and for RUnlock → Lock (Go's writerSem)
}

//go:norace
func (rw *RWMutex) lock() *inner {
	if rw.in.bind("rwmutex") {
		rw.readers, rw.writer, rw.waiting = 0, false, 0
	}
	rw.in.mu.Lock()
	return &rw.in
}

// Lock is sync.RWMutex.Lock.
func (rw *RWMutex) Lock() {
	rw.lockQuiet()
	scheduler.RaceAcquire(unsafe.Pointer(&rw.rsem))
	scheduler.RaceAcquire(unsafe.Pointer(&rw.wsem))
}

//go:norace
func (rw *RWMutex) lockQuiet() {
	scheduler.RaceDisable()
	defer scheduler.RaceEnable()
	in := rw.lock()
	rw.waiting++
	for rw.writer || rw.readers > 0 {
		in.cond.Wait()
	}
	rw.waiting--
	rw.writer = true
	in.mu.Unlock()
}

// Unlock is sync.RWMutex.Unlock.
func (rw *RWMutex) Unlock() {
	scheduler.RaceRelease(unsafe.Pointer(&rw.rsem))
	rw.unlockQuiet()
}

//go:norace
func (rw *RWMutex) unlockQuiet() {
	scheduler.RaceDisable()
	defer scheduler.RaceEnable()
	in := rw.lock()
	if !rw.writer {
		in.mu.Unlock()
		panic("sync: Unlock of unlocked RWMutex")
	}
	rw.writer = false
	in.cond.Broadcast()
	in.mu.Unlock()
}

// RLock is sync.RWMutex.RLock.
func (rw *RWMutex) RLock() {
	rw.rlockQuiet()
	scheduler.RaceAcquire(unsafe.Pointer(&rw.rsem))
}

//go:norace
func (rw *RWMutex) rlockQuiet() {
	scheduler.RaceDisable()
	defer scheduler.RaceEnable()
	in := rw.lock()
	for rw.writer || rw.waiting > 0 {
		in.cond.Wait()
	}
	rw.readers++
	in.mu.Unlock()
}

// RUnlock is sync.RWMutex.RUnlock.
func (rw *RWMutex) RUnlock() {
	scheduler.RaceReleaseMerge(unsafe.Pointer(&rw.wsem))
	rw.runlockQuiet()
}

//go:norace
func (rw *RWMutex) runlockQuiet() {
	scheduler.RaceDisable()
	defer scheduler.RaceEnable()
	in := rw.lock()
	if rw.readers <= 0 {
		in.mu.Unlock()
		panic("sync: RUnlock of unlocked RWMutex")
	}
	rw.readers--
	if rw.readers == 0 {
		in.cond.Broadcast()
	}
	in.mu.Unlock()
}

// RLocker is sync.RWMutex.RLocker.
func (rw *RWMutex) RLocker() Locker { return rlocker{rw} }

type rlocker struct{ rw *RWMutex }

func (r rlocker) Lock()   { r.rw.RLock() }
func (r rlocker) Unlock() { r.rw.RUnlock() }

// WaitGroup is sync.WaitGroup on the current run; the zero value is empty. Its misuse
// panics as Go's: a negative counter, Add from zero while Wait waits, and reuse before
// an earlier Wait has returned.
type WaitGroup struct {
	in      inner
	n       int
	waiters int    // tasks in Wait since the counter last reached zero
	gen     uint64 // counts the times the counter reached zero with waiters
	sema    byte   // the race detector's address for Add from zero versus Wait
}

//go:norace
func (wg *WaitGroup) lock() *inner {
	if wg.in.bind("waitgroup") {
		wg.n, wg.waiters, wg.gen = 0, 0, 0
	}
	wg.in.mu.Lock()
	return &wg.in
}

// Add is sync.WaitGroup.Add.
func (wg *WaitGroup) Add(d int) {
	if d < 0 {
		scheduler.RaceReleaseMerge(unsafe.Pointer(wg)) // Done → Wait's return
	}
	wg.addQuiet(d)
}

//go:norace
func (wg *WaitGroup) addQuiet(d int) {
	scheduler.RaceDisable()
	defer scheduler.RaceEnable()
	in := wg.lock()
	wg.n += d
	if d > 0 && wg.n == d {
		scheduler.RaceRead(unsafe.Pointer(&wg.sema)) // the first Add races with a Wait
	}
	switch {
	case wg.n < 0:
		in.mu.Unlock()
		panic("sync: negative WaitGroup counter")
	case wg.waiters > 0 && d > 0 && wg.n == d:
		in.mu.Unlock()
		panic("sync: WaitGroup misuse: Add called concurrently with Wait")
	case wg.n == 0 && wg.waiters > 0:
		wg.waiters = 0
		wg.gen++
		in.cond.Broadcast()
	}
	in.mu.Unlock()
}

// Done is sync.WaitGroup.Done.
func (wg *WaitGroup) Done() { wg.Add(-1) }

// Wait is sync.WaitGroup.Wait.
func (wg *WaitGroup) Wait() {
	wg.waitQuiet()
	scheduler.RaceAcquire(unsafe.Pointer(wg))
}

//go:norace
func (wg *WaitGroup) waitQuiet() {
	scheduler.RaceDisable()
	defer scheduler.RaceEnable()
	in := wg.lock()
	if wg.n > 0 {
		if wg.waiters == 0 {
			scheduler.RaceWrite(unsafe.Pointer(&wg.sema)) // races with an Add from zero
		}
		wg.waiters++
		for gen := wg.gen; wg.gen == gen; {
			in.cond.Wait()
		}
		if wg.n != 0 || wg.waiters != 0 {
			in.mu.Unlock()
			panic("sync: WaitGroup is reused before previous Wait has returned")
		}
	}
	in.mu.Unlock()
}

// Go is sync.WaitGroup.Go (Go 1.25).
func (wg *WaitGroup) Go(f func()) {
	wg.Add(1)
	rt().Go("go@"+site(1), func() {
		defer wg.Done()
		f()
	})
}

// Once is sync.Once on the current run; the zero value has not run.
type Once struct {
	m    Mutex
	done bool
	b    binding
	// initDone: Do ran outside any run (a package's init), so it has run in every run.
	initDone bool
}

// Do is sync.Once.Do: f runs once; every call returns after it has. A recursive Do
// deadlocks, as Go's.
func (o *Once) Do(f func()) {
	o.bind()
	o.m.Lock()
	defer o.m.Unlock()
	if !o.done {
		defer o.ran()
		f()
	}
}

//go:norace
func (o *Once) ran() {
	o.done = true
	if current.rt == nil {
		o.initDone = true
	}
}

//go:norace
func (o *Once) bind() {
	if o.b.fresh() {
		o.done = o.initDone
	}
}

// Cond is sync.Cond on the current run. Make one with NewCond, or set L.
type Cond struct {
	L       Locker
	waiters []*sim.Event
	b       binding
}

// NewCond is sync.NewCond.
func NewCond(l Locker) *Cond { return &Cond{L: l} }

//go:norace
func (c *Cond) bind() {
	if c.b.fresh() {
		c.waiters = nil
	}
}

// Wait is sync.Cond.Wait.
//
//go:norace
func (c *Cond) Wait() {
	c.bind()
	ev := rt().NewEvent("cond " + site(1))
	c.waiters = append(c.waiters, ev)
	c.L.Unlock()
	waitQuiet(ev)
	c.L.Lock()
}

// waitQuiet waits for a Cond waiter's event without an edge from its firing.
//
//go:norace
func waitQuiet(ev *sim.Event) {
	scheduler.RaceDisable()
	defer scheduler.RaceEnable()
	rt().Wait(context.Background(), ev)
}

// Signal is sync.Cond.Signal: it wakes the longest waiter.
//
//go:norace
func (c *Cond) Signal() {
	c.bind()
	if len(c.waiters) > 0 {
		ev := c.waiters[0]
		c.waiters = c.waiters[1:]
		fire(ev)
		return
	}
	rt().Yield()
}

// Broadcast is sync.Cond.Broadcast.
//
//go:norace
func (c *Cond) Broadcast() {
	c.bind()
	ws := c.waiters
	c.waiters = nil
	for _, ev := range ws {
		fire(ev)
	}
	if len(ws) == 0 {
		rt().Yield()
	}
}

// fire wakes a Cond waiter without an edge to it: Go's Cond makes none.
func fire(ev *sim.Event) {
	scheduler.RaceDisable()
	defer scheduler.RaceEnable()
	ev.Fire()
}
