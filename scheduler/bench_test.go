package scheduler

import (
	"iter"
	"testing"
)

// The benchmarks below put the cost of one scheduling decision next to the floors it is
// built on, measured in the same run (README, "Scheduler cost"):
//
//	go test ./scheduler -run '^$' -bench . -count 5
//
// A decision that switches tasks goes task → driver → task: one coroutine round trip,
// plus the pick, the PRNG draw and the trace hash.

// BenchmarkCoroutineRoundTrip is the floor: one next/yield pair of iter.Pull.
func BenchmarkCoroutineRoundTrip(b *testing.B) {
	next, stop := iter.Pull(func(yield func(struct{}) bool) {
		for yield(struct{}{}) {
		}
	})
	defer stop()
	for b.Loop() {
		next()
	}
}

// BenchmarkChannelRoundTrip is the alternative floor: a ping-pong between two goroutines
// over unbuffered channels.
func BenchmarkChannelRoundTrip(b *testing.B) {
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		for range ping {
			pong <- struct{}{}
		}
	}()
	for b.Loop() {
		ping <- struct{}{}
		<-pong
	}
	close(ping)
}

// roundRobin always picks the candidate after the current task in ID order, so that
// every contended decision switches.
type roundRobin struct{}

func (roundRobin) spawned(*Task)  {}
func (roundRobin) yielded(*Task)  {}
func (roundRobin) choose(int) int { return 0 }

func (roundRobin) pick(cur *Task, cands []*Task) *Task {
	for _, c := range cands {
		if cur != nil && c.id > cur.id {
			return c
		}
	}
	return cands[0]
}

// benchDecisions runs three tasks that do nothing but reach scheduling points, until b.N
// decisions have been taken. With rr, every decision switches tasks.
func benchDecisions(b *testing.B, baton Baton, rr bool) {
	s := New(Options{Seed: 1, Baton: baton, Strategy: Strategy{Kind: Random}, MaxSteps: uint64(b.N) + 10, Watchdog: -1})
	if rr {
		s.chooser = roundRobin{}
	}
	spin(b, s)
}

// spin runs three tasks that only reach scheduling points until s's step limit.
func spin(b *testing.B, s *Sched) {
	b.ResetTimer()
	v := s.Run(func() {
		for range 2 {
			s.Go("spinner", func() {
				for !s.Failed() {
					s.Point()
				}
			})
		}
		for !s.Failed() {
			s.Point()
		}
	})
	b.StopTimer()
	if v.Failure == nil || v.Failure.Kind != FailSteps {
		b.Fatalf("expected to stop at the step limit, got %v", v.Failure)
	}
}

// BenchmarkDecision is one decision among three busy tasks under random walk (two thirds of
// decisions switch), for each baton.
func BenchmarkDecision(b *testing.B) {
	b.Run("coro", func(b *testing.B) { benchDecisions(b, BatonCoroutine, false) })
	b.Run("chan", func(b *testing.B) { benchDecisions(b, BatonChannel, false) })
}

// BenchmarkSwitchingDecision is the worst case: every decision hands control to another
// task.
func BenchmarkSwitchingDecision(b *testing.B) {
	b.Run("coro", func(b *testing.B) { benchDecisions(b, BatonCoroutine, true) })
	b.Run("chan", func(b *testing.B) { benchDecisions(b, BatonChannel, true) })
}

// BenchmarkSpawn is the cost of starting a task, running it to its end and joining it.
func BenchmarkSpawn(b *testing.B) {
	s := New(Options{Watchdog: -1, MaxSteps: 1 << 62})
	b.ResetTimer()
	s.Run(func() {
		for range b.N {
			f := &flag{id: s.NewID()}
			s.Go("t", f.raise)
			f.await(s)
		}
	})
}

// splitSource is a Source that draws uniformly from a seeded stream: what a property
// library feeds the Tape strategy, minus its bookkeeping.
type splitSource struct{ r *Rand }

func (s splitSource) Draw(n int) int { return s.r.IntN(n) }

// BenchmarkTapeDecision is BenchmarkDecision under the Tape strategy: the scheduler's side
// of a tape decision (the Source call and the k-th-other mapping). rapid's own cost per
// draw is measured by sim/simrapid's BenchmarkDecision.
func BenchmarkTapeDecision(b *testing.B) {
	src := splitSource{newRand(1, "bench")}
	spin(b, New(Options{Baton: BatonCoroutine, Strategy: Strategy{Kind: Tape, Source: src}, MaxSteps: uint64(b.N) + 10, Watchdog: -1}))
}
