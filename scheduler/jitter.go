package scheduler

import "time"

// Time perturbation ("jitter"): exact virtual time can put a race window at an instant
// that no task ever reaches. An evictor that ticks every millisecond and closes an idle
// connection in zero time opens its window only at the tick, and a client whose steps
// take 100 µs and 300 µs is never runnable at that instant: no schedule of the runnable
// tasks can interleave them, so no strategy finds the race. Real timers are late by a
// little, and a kernel with timer slack fires timers that are due close together at once.
// With Strategy.Jitter the scheduler does the same, from its own decision class:
//
//  1. Late. Each timer armed for d > 0 draws k in [0, slackSteps] and may fire up to
//     late = d·k/slackDen after its deadline: at most a quarter of d. A zero-duration
//     timer is never late.
//  2. Coalesced. The clock advances to the earliest latest-firing instant H = min over
//     timers of (deadline + late), and every timer whose deadline is at or before H fires
//     then, together. Two timers due at t < t' close together fire at one instant when
//     the first may be late past t', so the tasks they wake are runnable at the same time
//     and the schedule can interleave them: a zero-width window becomes reachable, and a
//     task's fixed-duration step can end before or after a periodic tick.
//  3. Reordered. The timers of one firing fire in a drawn order: with n left, a draw in
//     [0, n) picks the k-th by (deadline, creation).
//  4. Stalled. Where the clock runs while tasks do (Options.StepTime > 0), a step can
//     last long: a process is preempted, paused by the collector or descheduled by a busy
//     host, and a runnable goroutine gets no processor for a millisecond. Each timer
//     armed for 0 < d <= stallMax draws k in [0, stallOdds), and k = stallOdds-1 stalls
//     the next decision's step until the timer is due: its deadline (plus its lateness) passes
//     before the tasks that were runnable take another step, so a timeout can fire
//     before the work it bounds has started (cockroach_4407's Stop after a 1ms sleep,
//     with a Gossip goroutine not yet run). Stalls are a host's, so at most stallMax:
//     an hour's timer does not fire while a task is between two steps. Without a step
//     time the clock moves only when every task waits, and there is no step to stall.
//
// No timer ever fires before its deadline, and the clock never goes back. A draw of 0 is
// exact time: no lateness, creation order. So a run whose every draw is 0 is the
// unperturbed run, event for event and hash for hash.
//
// The draws come from the "time" stream (Sched.Stream), separate from the schedule and
// every other class, so that switching the perturbation on or off shifts no other
// decision. Under Tape they come from the Source like every stream, so rapid shrinks them
// towards exact time. With Options.Record each draw is recorded in Verdict.Decisions as
// -k (0 for exact), in the order the run takes it; Replay with Jitter reads it back from
// the script, so a perturbed run replays exactly, and a shrinker that sets entries to 0
// moves the run back towards exact time.
const (
	slackDen   = 64 // lateness is counted in 64ths of a timer's duration
	slackSteps = 16 // at most 16 of them: a quarter of the duration
	stallOdds  = 8  // one timer in 8 stalls the next step until it is due
	stallMax   = 10 * time.Millisecond
)

// Jitter says whether a run perturbs virtual time (Options.TimeJitter).
type Jitter uint8

const (
	// JitterStrategy leaves it to the strategy: on in half of the portfolio's members,
	// and for an explicit strategy when its Jitter field is set (random+jitter). The
	// default.
	JitterStrategy Jitter = iota
	// JitterOn perturbs time in every run, whatever the strategy.
	JitterOn
	// JitterOff keeps time exact in every run, portfolio members included.
	JitterOff
)

// ParseJitter reads a jitter mode as the CLI takes it: portfolio (JitterStrategy), on, off.
func ParseJitter(s string) (Jitter, bool) {
	switch s {
	case "", "portfolio", "strategy":
		return JitterStrategy, true
	case "on":
		return JitterOn, true
	case "off":
		return JitterOff, true
	}
	return 0, false
}

// lateness draws how late a timer armed for d may fire.
//
//go:norace
func (s *Sched) lateness(d time.Duration) time.Duration {
	if !s.strategy.Jitter || d <= 0 {
		return 0
	}
	k := s.jitterDraw(slackSteps + 1)
	return d / slackDen * time.Duration(k) // at most d/4: no overflow
}

// stall draws whether a timer armed for d stalls the next step until it is due, and if
// so makes it the step's stall (the latest due of those drawn since the last step).
//
//go:norace
func (s *Sched) stall(t *Timer, d time.Duration) {
	if !s.strategy.Jitter || s.opts.StepTime <= 0 || d <= 0 || d > stallMax {
		return
	}
	if s.jitterDraw(stallOdds) != stallOdds-1 {
		return
	}
	if s.stalled == nil || s.stalled.when+s.stalled.late < t.when+t.late {
		s.stalled = t
	}
}

// jitterDraw takes one draw of the time class in [0, n): from the replay script under
// Replay (past its end, with Strategy.Continue, from the continuation's time stream),
// else from the time stream; it records -k with Options.Record.
//
//go:norace
func (s *Sched) jitterDraw(n int) int {
	var k int
	if s.replay != nil {
		k = s.replay.slack(n)
	} else {
		k = s.jitter.IntN(n)
	}
	s.record(int32(-k))
	return k
}

// slack reads a time-class draw from a replay script: an entry -k for k in [0, n), and
// anything else (a misplaced scheduling decision after a shrinker's edit) as exact time.
//
//go:norace
func (r *replay) slack(n int) int {
	if r.at >= len(r.script) {
		if r.restTime != nil {
			return r.restTime.IntN(n)
		}
		return 0
	}
	k := -int(r.script[r.at])
	r.at++
	if k < 0 || k >= n {
		return 0
	}
	return k
}
