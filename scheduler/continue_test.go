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
// Method: count the non-zero scheduling decisions past an empty prefix over a few seeds.
func TestReplayContinueSparse(t *testing.T) {
	preemptions := func(p float64) (pre, n int) {
		for seed := uint64(1); seed <= 8; seed++ {
			var log []wake
			st := Strategy{Kind: Replay, Continue: true, ContinueSeed: seed, ContinuePreempt: p}
			s := New(Options{Seed: 3, Strategy: st, Record: true})
			v := s.Run(ticker(s, &log))
			for _, d := range v.Decisions {
				if d > 0 {
					pre++
				}
				n++
			}
			var again []wake
			r := New(Options{Seed: 3, Strategy: Strategy{Kind: Replay, Decisions: v.Decisions}})
			if h := r.Run(ticker(r, &again)).Hash; h != v.Hash {
				t.Fatalf("p=%v seed %d: the sparse continuation does not replay: %x, replay %x", p, seed, v.Hash, h)
			}
		}
		return pre, n
	}
	uniPre, uniN := preemptions(0)
	sparsePre, _ := preemptions(0.05)
	if uniPre < uniN/4 || sparsePre*4 > uniPre {
		t.Errorf("preemptions: uniform %d of %d decisions, sparse (5%%) %d", uniPre, uniN, sparsePre)
	}
}
