package simtest

import "github.com/muxsim/muxsim/sim"

// Options configure Check: the simulated runs' options and the sweep. The zero value is
// usable: every field documents its default.
type Options struct {
	// Options are every run's options (strategy, limits, faults, params). Seed is
	// ignored: the sweep sets it. Strategy defaults to the portfolio, which lets each seed
	// choose the concrete strategy. Coverage, if set, receives the sweep's Sometimes sites
	// (default: a fresh Coverage per Check). FaultLog, if set, holds the last run's faults.
	sim.Options
	// Seeds is the number of seeds a sweep runs: seeds 1 to Seeds, in order, the same on
	// every machine (the flags -sim.seeds and -sim.seed replace the list). Default
	// DefaultSeeds.
	Seeds int
	// Failures is how many failing seeds the sweep reports before it stops; each fails
	// the test with its own message. Default 1: the sweep stops at the first failure.
	Failures int
	// RequireSometimes fails the test when a Sometimes site was evaluated during a
	// passing sweep but its condition never held. Default false: such sites are only
	// logged (shown by go test -v). A single -sim.seed run never enforces it.
	RequireSometimes bool
}

// DefaultSeeds is the sweep's default size: a small body (a few tasks, a few hundred
// scheduling decisions) runs it in well under a second.
const DefaultSeeds = 100
