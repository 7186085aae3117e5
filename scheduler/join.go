package scheduler

import (
	"fmt"
	"runtime"
)

// Join is the scheduler's record of a group of tasks that has an owner (sim.Group): the
// task that made it. Structured concurrency asks that no task outlive the owner that
// started it unless someone waits for it. The rule, checked with FailOrphan:
//
//  1. A task of a join that ends after the join's owner has ended (its function returned,
//     Returned, or it exited) has outlived its owner. This covers a task still alive when
//     the owner returned without waiting, one alive when the owner returned after a Wait
//     (started after that Wait), and one started after the owner returned.
//  2. Such a task is legitimate only if a Wait on the join returns after it ended: the
//     group was handed to another task that waits for it (a client connection made by
//     one task and closed, with its Wait, by another).
//  3. A run whose tasks have all ended while some join has a task of rule 1 not followed
//     by such a Wait fails with FailOrphan, naming the first of them, the owner and where
//     the group was made. The check waits for the end of the run because, when the owner
//     returns, a task that will wait for the group later may still be running.
//
// A join made outside a task (a timer callback) has no owner and is not checked. The
// check adds no event and no scheduling point: passing runs keep their trace hashes.
type Join struct {
	s      *Sched
	name   string
	owner  *Task
	pcs    [8]uintptr // where the join was made, resolved only for a report
	orphan orphan     // the first task that outlived the owner since the last Wait; t nil if none
	listed int        // index in Sched.orphans plus one; 0 when not listed
}

// orphan is a task that ended after its join's owner had ended.
type orphan struct {
	t    *Task
	step uint64 // when it ended
}

// NewJoin records a group made by the running task, its owner; name appears in reports.
//
//go:norace
func (s *Sched) NewJoin(name string) *Join {
	j := &Join{s: s, name: name, owner: s.cur}
	runtime.Callers(2, j.pcs[:])
	return j
}

// Returned tells the scheduler that the running task's function has returned: what is
// left of the task is its runtime's bookkeeping (a group's count), which may still reach
// scheduling points, and tasks of the groups it owns that end from now on outlive it. A
// task that never calls it is over when it exits. It is not a scheduling point.
//
//go:norace
func (s *Sched) Returned() {
	if t := s.cur; t != nil && !t.over {
		t.over, t.ended = true, s.step
	}
}

// Exited tells the scheduler that the running task, a task of j, is ending. It is not a
// scheduling point.
//
//go:norace
func (j *Join) Exited() {
	s := j.s
	t := s.cur
	if j.owner == nil || !j.owner.over || t == nil || s.killing || s.failure != nil || j.orphan.t != nil {
		return
	}
	j.orphan = orphan{t: t, step: s.step}
	s.orphans = append(s.orphans, j)
	j.listed = len(s.orphans)
}

// Waited tells the scheduler that a Wait on j has returned: every task of j has ended,
// and someone saw them end. It is not a scheduling point.
//
//go:norace
func (j *Join) Waited() {
	if j.listed == 0 {
		return
	}
	s := j.s
	i, last := j.listed-1, len(s.orphans)-1
	s.orphans[i] = s.orphans[last]
	s.orphans[i].listed = i + 1
	s.orphans[last] = nil
	s.orphans = s.orphans[:last]
	j.listed = 0
	j.orphan = orphan{}
}

// checkOrphans fails the run, once every task has ended, if a task outlived its join's
// owner and no Wait followed (rule 3 of Join). It reports the one that ended first.
//
//go:norace
func (s *Sched) checkOrphans() {
	var first *Join
	for _, j := range s.orphans {
		if first == nil || j.orphan.step < first.orphan.step ||
			j.orphan.step == first.orphan.step && j.orphan.t.id < first.orphan.t.id {
			first = j
		}
	}
	if first == nil {
		return
	}
	o, owner := first.orphan, first.owner
	msg := fmt.Sprintf("%v (spawned at %s) outlived its group's owner %v (group %q made at %s): "+
		"the owner ended at step %d, the task at step %d, and no Wait on the group followed",
		o.t, o.t.site(), owner, first.name, userSite(first.pcs[:]), owner.ended, o.step)
	s.fail(FailOrphan, msg, o.t, "")
}
