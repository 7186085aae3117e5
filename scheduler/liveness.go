package scheduler

import (
	"fmt"
	"strings"
	"time"
)

// livenessNamesMax bounds the live tasks a liveness failure's message names; the
// verdict's task list has them all.
const livenessNamesMax = 8

// Liveness arms a liveness bound, as TigerBeetle's VOPR requires convergence within a
// number of ticks once it has healed the cluster: unless every task has exited by d of
// virtual time from now, the run fails with FailLiveness. The message starts with what
// (the caller's account of the bound, "not finished 5s after the heal at t=1s") and names
// the live tasks, at most livenessNamesMax of them, with what each waits on.
//
// The bound is a timer: a run whose tasks all exit before it is over, and the timer never
// fires (run.go: idle). A run whose tasks are all blocked with no other timer pending
// reaches the bound instead of a deadlock verdict, which is the same finding, since
// nothing would ever have woken them. With the time perturbation on, the bound may
// expire late, never early. The returned timer can be stopped to withdraw the bound.
//
//go:norace
func (s *Sched) Liveness(d time.Duration, what string) *Timer {
	return s.AfterFunc(d, func() {
		if len(s.tasks) == 0 || s.failure != nil {
			return
		}
		s.fail(FailLiveness, what+", still alive: "+s.liveList(), nil, "")
	})
}

// liveList names the live tasks and what each waits on, in task order.
//
//go:norace
func (s *Sched) liveList() string {
	infos := s.taskInfos()
	parts := make([]string, 0, min(len(infos), livenessNamesMax)+1)
	for i, ti := range infos {
		if i == livenessNamesMax {
			parts = append(parts, fmt.Sprintf("and %d more", len(infos)-i))
			break
		}
		p := fmt.Sprintf("task %d %q %s", ti.ID, ti.Name, ti.State)
		if ti.Waiting != "" {
			p += " on " + ti.Waiting
		}
		parts = append(parts, p)
	}
	return fmt.Sprintf("%d tasks: %s", len(infos), strings.Join(parts, "; "))
}
