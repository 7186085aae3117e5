package sim

import (
	"fmt"
	"time"
)

// Heal ends the run's fault phase and starts its liveness phase, as TigerBeetle's VOPR
// heals its cluster and then requires convergence within a bound of ticks. From the heal
// on no fault is injected: fault points (Fault) never fire, and simnet injects no new
// failure or clog on any connection of the run, old or new (a connection that is already
// broken stays broken; delays and reshaping, which cannot stop progress, go on). Then
// every task must exit within `within` of virtual time: a run with a task still alive at
// the bound fails with a "liveness" verdict that names the heal, each live task and what
// it waits on.
//
// Fault sources still make every draw they would have made, and Inject refuses the fault
// afterwards, as it refuses a suppressed one: the streams they share with other choices
// (simnet's split sizes and latencies) stay where they were, so a run healed at step n
// is the unhealed run up to n, and after it differs only by the faults held back. A run
// that never heals is exactly what it was before Heal existed. Faults refused after the
// heal are not numbered and not in the FaultLog: there is nothing there to shrink.
//
// A scenario heals once; a second Heal, or a bound that is not positive, is a bug of the
// scenario and fails the run. Under the real runtime Heal does nothing: fault points are
// off there, and real connections inject nothing.
//
//go:norace
func (rt *Runtime) Heal(within time.Duration) {
	if rt.s == nil || rt.inject == nil {
		return
	}
	in := rt.inject
	switch {
	case within <= 0:
		rt.Fail(fmt.Sprintf("heal: the liveness bound must be positive, not %v", within))
		return
	case in.healed:
		rt.Fail(fmt.Sprintf("heal: the run already healed at t=%v", in.healAt))
		return
	}
	in.healed, in.healAt = true, rt.s.Now()
	rt.s.Note(fmt.Sprintf("heal: faults stop; every task must exit within %v", within))
	rt.s.Liveness(within, fmt.Sprintf("not finished %v of virtual time after the heal at t=%v (step %d)",
		within, in.healAt, rt.s.Step()))
}

// Healed reports whether the run has healed (Heal): for a fault source whose faults do
// not pass through Inject, and for a workload that behaves differently in its liveness
// phase. Under the real runtime it is always false.
//
//go:norace
func (rt *Runtime) Healed() bool { return rt.inject != nil && rt.inject.healed }
