package gort

import (
	"slices"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// order returns the keys of a 10-key map in the order MapRange gives them in a run of
// seed, ranged as the translator writes it.
func order(seed uint64, m map[int]string) []int {
	var keys []int
	Run(sim.Options{Seed: seed}, func() {
		for it := MapRange(m); it.Next(); {
			k, v := it.Key(), it.Value()
			if m[k] != v {
				panic("value is not the map's")
			}
			keys = append(keys, k)
		}
	})
	return keys
}

// TestMapRangeSeeded checks that a map's order is a function of the run's seed: the
// same seed gives the same order in every run (of maps built afresh, whose Go order
// differs), and different seeds give different orders. Method: a 10-key map, seeds 1-20
// twice; 10! orders make two seeds alike with odds about 1 in 20,000 per pair, so
// asking for at least 15 distinct orders of 20 can fail only if the order ignores the
// seed.
func TestMapRangeSeeded(t *testing.T) {
	build := func() map[int]string {
		m := map[int]string{}
		for i := range 10 {
			m[i*7] = string(rune('a' + i))
		}
		return m
	}
	distinct := map[string]bool{}
	for seed := uint64(1); seed <= 20; seed++ {
		a, b := order(seed, build()), order(seed, build())
		if !slices.Equal(a, b) || len(a) != 10 {
			t.Fatalf("seed %d: orders %v and %v; replay: go test ./sim/gort -run TestMapRangeSeeded", seed, a, b)
		}
		s := slices.Clone(a)
		slices.Sort(s)
		if s[0] != 0 || s[9] != 63 || len(slices.Compact(s)) != 10 {
			t.Fatalf("seed %d: keys %v, want each of 0, 7, ... 63 once", seed, a)
		}
		distinct[string(rune(a[0]))+string(rune(a[1]))+string(rune(a[2]))+string(rune(a[3]))] = true
	}
	if len(distinct) < 15 {
		t.Fatalf("20 seeds gave %d distinct orders", len(distinct))
	}
}

// TestMapRangeDelete checks Go's semantics for a map changed during the range, in the
// translated form: an entry deleted before it is reached is not produced, a value
// changed before its entry is reached is read as changed, and an added entry is not
// produced.
func TestMapRangeDelete(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		Run(sim.Options{Seed: seed}, func() {
			m := map[int]int{}
			for i := range 10 {
				m[i] = 0
			}
			var seen []int
			for it := MapRange(m); it.Next(); {
				k, v := it.Key(), it.Value()
				if len(seen) > 0 && v != 1 {
					t.Errorf("seed %d: key %d read %d, want 1", seed, k, v)
				}
				seen = append(seen, k)
				if len(seen) == 1 {
					for j := range 10 {
						if j%2 != k%2 {
							delete(m, j)
						} else {
							m[j] = 1
						}
					}
					m[100] = 1
				}
			}
			if len(seen) != 5 {
				t.Errorf("seed %d: produced %v, want the 5 keys of the first one's parity", seed, seen)
			}
			for _, k := range seen {
				if k%2 != seen[0]%2 {
					t.Errorf("seed %d: deleted key %d produced (%v)", seed, k, seen)
				}
			}
		})
	}
}

// TestMapRangeKeys checks the sort under the permutation: struct, array and interface
// keys (ints, strings, floats, structs, nil) give one order per seed, and a key holding
// a pointer leaves Go's order (every key, once).
func TestMapRangeKeys(t *testing.T) {
	type pt struct {
		x   int
		tag string
	}
	keysOf := func(seed uint64, m map[any]int) []any {
		var out []any
		Run(sim.Options{Seed: seed}, func() {
			for it := MapRange(m); it.Next(); {
				out = append(out, it.Key())
			}
		})
		return out
	}
	build := func() map[any]int {
		return map[any]int{1: 0, 2: 0, "a": 0, "b": 0, 1.5: 0, pt{1, "x"}: 0, pt{1, "w"}: 0, [2]int{3, 1}: 0, nil: 0, true: 0}
	}
	for seed := uint64(1); seed <= 5; seed++ {
		if a, b := keysOf(seed, build()), keysOf(seed, build()); !slices.Equal(a, b) || len(a) != 10 {
			t.Fatalf("seed %d: %v and %v", seed, a, b)
		}
	}
	m := build()
	m[new(int)] = 0
	if got := keysOf(1, m); len(got) != 11 {
		t.Fatalf("with a pointer key: %d keys, want 11", len(got))
	}
	if !sortKeys([]pt{{2, "a"}, {1, "b"}}) || sortKeys([]any{new(int), 1}) {
		t.Fatal("sortKeys: struct keys unordered or a pointer key ordered")
	}
}
