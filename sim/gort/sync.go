package gort

import "github.com/muxsim/muxsim/sim"

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

// inner is a mutex with a condition variable, the state lock of the shims built on it.
type inner struct {
	mu   *sim.Mutex
	cond *sim.Cond
	b    binding
}

// bind reports whether the state is fresh for this run (the caller then resets its own
// fields), making the lock and condition variable named by what.
func (in *inner) bind(what string) bool {
	if !in.b.fresh() {
		return false
	}
	r := rt()
	in.mu = r.NewMutex(what + " " + site(3))
	in.cond = r.NewCond(in.mu)
	return true
}

// RWMutex is sync.RWMutex on the current run; the zero value is unlocked. As Go's, a
// blocked Lock keeps new readers out, so a recursive RLock can deadlock with a writer.
type RWMutex struct {
	in      inner
	readers int
	writer  bool
	waiting int // writers blocked in Lock
}

func (rw *RWMutex) lock() *inner {
	if rw.in.bind("rwmutex") {
		rw.readers, rw.writer, rw.waiting = 0, false, 0
	}
	rw.in.mu.Lock()
	return &rw.in
}

// Lock is sync.RWMutex.Lock.
func (rw *RWMutex) Lock() {
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
	in := rw.lock()
	for rw.writer || rw.waiting > 0 {
		in.cond.Wait()
	}
	rw.readers++
	in.mu.Unlock()
}

// RUnlock is sync.RWMutex.RUnlock.
func (rw *RWMutex) RUnlock() {
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

// WaitGroup is sync.WaitGroup on the current run; the zero value is empty.
type WaitGroup struct {
	in inner
	n  int
}

func (wg *WaitGroup) lock() *inner {
	if wg.in.bind("waitgroup") {
		wg.n = 0
	}
	wg.in.mu.Lock()
	return &wg.in
}

// Add is sync.WaitGroup.Add.
func (wg *WaitGroup) Add(d int) {
	in := wg.lock()
	wg.n += d
	if wg.n < 0 {
		in.mu.Unlock()
		panic("sync: negative WaitGroup counter")
	}
	if wg.n == 0 {
		in.cond.Broadcast()
	}
	in.mu.Unlock()
}

// Done is sync.WaitGroup.Done.
func (wg *WaitGroup) Done() { wg.Add(-1) }

// Wait is sync.WaitGroup.Wait.
func (wg *WaitGroup) Wait() {
	in := wg.lock()
	for wg.n > 0 {
		in.cond.Wait()
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
}

// Do is sync.Once.Do: f runs once; every call returns after it has. A recursive Do
// deadlocks, as Go's.
func (o *Once) Do(f func()) {
	if o.b.fresh() {
		o.done = false
	}
	o.m.Lock()
	defer o.m.Unlock()
	if !o.done {
		defer func() { o.done = true }()
		f()
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

func (c *Cond) bind() {
	if c.b.fresh() {
		c.waiters = nil
	}
}

// Wait is sync.Cond.Wait.
func (c *Cond) Wait() {
	c.bind()
	ev := rt().NewEvent("cond " + site(1))
	c.waiters = append(c.waiters, ev)
	c.L.Unlock()
	rt().Wait(noCancel, ev)
	c.L.Lock()
}

// Signal is sync.Cond.Signal: it wakes the longest waiter.
func (c *Cond) Signal() {
	c.bind()
	if len(c.waiters) > 0 {
		ev := c.waiters[0]
		c.waiters = c.waiters[1:]
		ev.Fire()
		return
	}
	rt().Yield()
}

// Broadcast is sync.Cond.Broadcast.
func (c *Cond) Broadcast() {
	c.bind()
	ws := c.waiters
	c.waiters = nil
	for _, ev := range ws {
		ev.Fire()
	}
	if len(ws) == 0 {
		rt().Yield()
	}
}
