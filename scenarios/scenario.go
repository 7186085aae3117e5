package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"muxsim/sim"
)

// Scenario is one simulated workload with its invariants: a small value that runs under
// the simulated runtime for a seed.
type Scenario struct {
	// Name is how simrun and tests refer to it.
	Name string
	// Doc is one paragraph; its first sentence is the one-line summary -list prints.
	Doc string
	// Canary marks a planted bug: it runs only when named, or with simrun -canaries. A
	// canary is expected to fail for some seeds.
	Canary bool
	// Faults is the scenario's fault profile. Default: fault points on, BUGGIFY odds.
	Faults sim.Faults
	// Real marks a stress-style scenario that also runs under the real runtime, over
	// loopback TCP (RunReal), so that simulation and reality check the same invariants.
	Real bool
	// Body runs as the main task. It drives the workload and checks invariants through
	// rt.Always and rt.Fail; returning ends the run once every task it started has exited.
	Body func(rt *sim.Runtime)

	probeOnce sync.Once
	probe     int // PCT's step estimate, measured once
}

// Summary returns the first sentence of Doc.
func (sc *Scenario) Summary() string {
	if i := strings.Index(sc.Doc, ". "); i >= 0 {
		return sc.Doc[:i+1]
	}
	return sc.Doc
}

// RunOptions are the knobs of one run of a scenario.
type RunOptions struct {
	sim.Options
}

// Run runs the scenario once. PCT's step estimate, when not given, is the number of
// contended decisions of a non-preemptive run with seed 0: a function of the scenario
// alone, so that one seed still reproduces a run.
func (sc *Scenario) Run(opts RunOptions) *sim.Verdict {
	o := opts.Options
	o.Faults = sc.Faults
	if o.Strategy.Steps == 0 && o.Strategy.Resolve(o.Seed).Kind == sim.PCT {
		o.Strategy.Steps = sc.pctSteps(opts.Options)
	}
	return sim.Run(o, sc.Body)
}

// RunReal runs the scenario once on real goroutines over loopback TCP. It is not
// reproducible: the workload's random choices and the interleaving come from the machine.
func (sc *Scenario) RunReal(opts sim.RealOptions) *sim.Verdict {
	if !sc.Real {
		panic("scenarios: " + sc.Name + " does not run under the real runtime")
	}
	return sim.RunReal(opts, sc.Body)
}

func (sc *Scenario) pctSteps(base sim.Options) int {
	sc.probeOnce.Do(func() {
		o := sim.Options{Faults: sc.Faults}
		o.Strategy.Kind = sim.Sequential
		o.MaxSteps = base.MaxSteps
		o.Watchdog = base.Watchdog
		o.Baton = base.Baton
		v := sim.Run(o, sc.Body)
		sc.probe = max(int(v.Contended), 1)
	})
	return sc.probe
}

// registry is the catalogue, filled by init functions and read-only afterwards.
var registry []*Scenario

// register adds scenarios to the catalogue; names must be unique. Call it only from init.
func register(scs ...*Scenario) {
	for _, sc := range scs {
		if Lookup(sc.Name) != nil {
			panic(fmt.Sprintf("scenarios: %q registered twice", sc.Name))
		}
		registry = append(registry, sc)
	}
	slices.SortFunc(registry, func(a, b *Scenario) int { return strings.Compare(a.Name, b.Name) })
}

// All returns every scenario, sorted by name.
func All() []*Scenario { return slices.Clone(registry) }

// Default returns the default catalogue: every scenario but the canaries.
func Default() []*Scenario {
	var out []*Scenario
	for _, sc := range registry {
		if !sc.Canary {
			out = append(out, sc)
		}
	}
	return out
}

// RealOnes returns the stress-style scenarios, those that also run on the real runtime.
func RealOnes() []*Scenario {
	var out []*Scenario
	for _, sc := range registry {
		if sc.Real {
			out = append(out, sc)
		}
	}
	return out
}

// Lookup returns the scenario called name, or nil.
func Lookup(name string) *Scenario {
	for _, sc := range registry {
		if sc.Name == name {
			return sc
		}
	}
	return nil
}
