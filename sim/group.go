package sim

// Group starts named tasks and waits for all of them, so that every task has an owner
// that awaits it. The zero value is not usable; make one with NewGroup.
type Group struct {
	rt   *Runtime
	mu   *Mutex
	cond *Cond
	live int
}

// NewGroup returns an empty group; name appears in reports.
func (rt *Runtime) NewGroup(name string) *Group {
	mu := rt.NewMutex(name)
	return &Group{rt: rt, mu: mu, cond: rt.NewCond(mu)}
}

// Go starts fn as a task owned by the group.
func (g *Group) Go(name string, fn func()) {
	g.mu.Lock()
	g.live++
	g.mu.Unlock()
	g.rt.Go(name, func() {
		defer g.done()
		fn()
	})
}

func (g *Group) done() {
	g.mu.Lock()
	g.live--
	if g.live == 0 {
		g.cond.Broadcast()
	}
	g.mu.Unlock()
}

// Wait returns when every task started by Go has returned.
func (g *Group) Wait() {
	g.mu.Lock()
	for g.live > 0 {
		g.cond.Wait()
	}
	g.mu.Unlock()
}
