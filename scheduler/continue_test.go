package scheduler

import (
	"slices"
	"testing"
)

// TestReplayContinue: the goal is Strategy.Continue's contract. A script followed by a
// random continuation keeps the script's decisions (time draws among them) as its own
// prefix, different continuation seeds give different runs past it, every such run
// replays hash for hash as a plain Replay of its recording, and Continue unset is Replay
// as before. Method: record perturbed random runs of the ticker workload, cut each
// recording at several points, and continue each cut with a few seeds.
func TestReplayContinue(t *testing.T) {
	run := func(st Strategy) *Verdict {
		var log []wake
		s := New(Options{Seed: 3, Strategy: st, Record: true})
		return s.Run(ticker(s, &log))
	}
	rec := run(Strategy{Kind: Random, Jitter: true})
	if !rec.OK() || len(rec.Decisions) < 20 || len(rec.DecisionSteps) != len(rec.Decisions) {
		t.Fatalf("recording: %v, %d decisions, %d steps", rec.Failure, len(rec.Decisions), len(rec.DecisionSteps))
	}
	if plain := run(Strategy{Kind: Replay, Jitter: true, Decisions: rec.Decisions[:5]}); plain.Hash != run(Strategy{Kind: Replay, Jitter: true, Decisions: rec.Decisions[:5], ContinueSeed: 9}).Hash {
		t.Fatalf("ContinueSeed without Continue changed the run")
	}
	for _, k := range []int{0, 1, len(rec.Decisions) / 3, len(rec.Decisions) / 2} {
		prefix := rec.Decisions[:k]
		hashes := map[uint64]bool{}
		for seed := uint64(1); seed <= 4; seed++ {
			v := run(Strategy{Kind: Replay, Jitter: true, Decisions: prefix, Continue: true, ContinueSeed: seed})
			if !slices.Equal(v.Decisions[:k], prefix) {
				t.Fatalf("k=%d seed %d: the run's prefix %v is not the script's %v", k, seed, v.Decisions[:k], prefix)
			}
			if !slices.Equal(v.DecisionSteps[:k], rec.DecisionSteps[:k]) {
				t.Fatalf("k=%d seed %d: the prefix's steps differ from the recording's", k, seed)
			}
			again := run(Strategy{Kind: Replay, Jitter: true, Decisions: v.Decisions})
			if again.Hash != v.Hash {
				t.Fatalf("k=%d seed %d: the continued run does not replay: hash %x, replay %x", k, seed, v.Hash, again.Hash)
			}
			hashes[v.Hash] = true
		}
		if len(hashes) < 2 {
			t.Errorf("k=%d: four continuation seeds gave one run", k)
		}
	}
}

// TestReplayContinueSparse: with ContinuePreempt the continuation departs from the default
// about that often, far less than the uniform walk, and still replays as a plain Replay.
// Method: three tasks that each take 100 scheduling points, continued from an empty
// prefix with a few seeds; count the non-zero decisions.
func TestReplayContinueSparse(t *testing.T) {
	spin := func(s *Sched) func() {
		return func() {
			done := []*flag{{id: s.NewID()}, {id: s.NewID()}, {id: s.NewID()}}
			for _, f := range done {
				s.Go("spin", func() {
					defer f.raise()
					for range 100 {
						s.Point()
					}
				})
			}
			for _, f := range done {
				f.await(s)
			}
		}
	}
	preemptions := func(p float64) (pre, n int) {
		for seed := uint64(1); seed <= 4; seed++ {
			st := Strategy{Kind: Replay, Continue: true, ContinueSeed: seed, ContinuePreempt: p}
			s := New(Options{Seed: 3, Strategy: st, Record: true})
			v := s.Run(spin(s))
			for _, d := range v.Decisions {
				if d > 0 {
					pre++
				}
				n++
			}
			r := New(Options{Seed: 3, Strategy: Strategy{Kind: Replay, Decisions: v.Decisions}})
			if h := r.Run(spin(r)).Hash; h != v.Hash {
				t.Fatalf("p=%v seed %d: the continuation does not replay: %x, replay %x", p, seed, v.Hash, h)
			}
		}
		return pre, n
	}
	uniPre, uniN := preemptions(0)
	sparsePre, sparseN := preemptions(0.05)
	// A uniform walk over three or four candidates leaves the default about 2/3 of the
	// time; the sparse walk about 5%. The bounds are far from both.
	if uniPre < uniN/2 || sparsePre > sparseN/8 {
		t.Errorf("preemptions: uniform %d of %d decisions, sparse (5%%) %d of %d", uniPre, uniN, sparsePre, sparseN)
	}
}
