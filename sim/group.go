package sim

import "github.com/muxsim/muxsim/scheduler"

// Group starts named tasks and waits for all of them, so that every task has an owner
// that awaits it. The zero value is not usable; make one with NewGroup.
//
// Under simulation the task that calls NewGroup is the group's owner, and a task of the
// group must not outlive it unawaited: a task that ends after the owner has ended must be
// followed by a Wait on the group, by any task (the owner may hand the group to another
// task, which waits for it), or the run fails with an "orphan" verdict once every task
// has ended. scheduler.Join states the rule in full.
type Group struct {
	rt   *Runtime
	mu   *Mutex
	cond *Cond
	live int
	join *scheduler.Join // the owner check; nil under the real runtime
}

// NewGroup returns an empty group owned by the calling task; name appears in reports.
func (rt *Runtime) NewGroup(name string) *Group {
	mu := rt.NewMutex(name)
	g := &Group{rt: rt, mu: mu, cond: rt.NewCond(mu)}
	if rt.s != nil {
		g.join = rt.s.NewJoin(name)
	}
	return g
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
	if g.join != nil {
		// The task's function has returned: from now on it is over, as an owner too,
		// though the lock below may still let other tasks run before it exits.
		g.rt.s.Returned()
	}
	g.mu.Lock()
	// Under the lock, before the count drops: no Wait can return between the two, so the
	// Wait that sees this task end is one that follows it (Join's rule 2).
	if g.join != nil {
		g.join.Exited()
	}
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
	if g.join != nil {
		g.join.Waited()
	}
}
