package simtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// TestParallel: sweeps in parallel tests do not disturb one another. Method: find each
// configuration's first failure sequentially, then run every configuration several
// times at once in parallel subtests (run with -race to check for shared state): each
// failing sweep must report its own seed and hash, each passing sweep nothing, and the
// coverage of one sweep must not leak into another's.
func TestParallel(t *testing.T) {
	configs := []sim.Options{{}, {Strategy: sim.Random}, {Strategy: sim.PCTDepth(2)}, {Strategy: sim.PCTDepth(3)}}
	want := make([]string, len(configs))
	for i, o := range configs {
		v := firstFailure(t, o, counter(true, nil))
		want[i] = fmt.Sprintf("seed=%d strategy=%s hash=%016x", v.Seed, v.Strategy, v.Hash)
	}
	t.Run("group", func(t *testing.T) {
		for round := range 3 {
			for i, o := range configs {
				t.Run(fmt.Sprintf("buggy-%d-%d", i, round), func(t *testing.T) {
					t.Parallel()
					r := record(t, t.Name())
					check(r, Options{Options: o}, settings{}, counter(true, nil))
					if len(r.errors) != 1 || !strings.Contains(r.errors[0], want[i]) {
						t.Errorf("want one failure with %s, got %q", want[i], r.errors)
					}
				})
				t.Run(fmt.Sprintf("fixed-%d-%d", i, round), func(t *testing.T) {
					t.Parallel()
					Check(t, Options{Options: o}, counter(false, nil)) // the real Check, with the real test
				})
			}
			t.Run(fmt.Sprintf("sometimes-%d", round), func(t *testing.T) {
				t.Parallel()
				r := record(t, t.Name())
				check(r, Options{Seeds: 30, RequireSometimes: true}, settings{}, race)
				if len(r.errors) != 1 || !strings.Contains(r.errors[0], `"never" (evaluated 30 times)`) {
					t.Errorf("want one failure for \"never\" evaluated 30 times, got %q", r.errors)
				}
			})
		}
	})
}
