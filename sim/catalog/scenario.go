package catalog

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/muxsim/muxsim/sim"
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
	// Params are the workload's sizes with their defaults; the body reads each with
	// rt.Param(name). A run may override them (simrun -param), and -shrink makes them
	// smaller. Default none.
	Params []Param
	// Body runs as the main task. It drives the workload and checks invariants through
	// rt.Always and rt.Fail; returning ends the run once every task it started has exited.
	Body func(rt *sim.Runtime)

	probeMu sync.Mutex
	probes  map[string]int // PCT's step estimate per parameter set, measured once each
}

// Param is one workload size of a scenario.
type Param struct {
	Name    string
	Doc     string
	Default int
	Min     int // the smallest value that still makes a workload (shrinking stops there)
}

// params returns the run's sizes: the defaults with the overrides applied. An override
// for a size the scenario does not have is an error.
func (sc *Scenario) params(overrides sim.Params) (sim.Params, error) {
	var ps sim.Params
	for _, p := range sc.Params {
		ps = ps.With(p.Name, p.Default)
	}
	for _, o := range overrides {
		i := slices.IndexFunc(sc.Params, func(p Param) bool { return p.Name == o.Name })
		if i < 0 {
			return nil, fmt.Errorf("scenario %s has no parameter %q", sc.Name, o.Name)
		}
		if o.Value < sc.Params[i].Min {
			return nil, fmt.Errorf("scenario %s: %s=%d is below its minimum %d", sc.Name, o.Name, o.Value, sc.Params[i].Min)
		}
		ps = ps.With(o.Name, o.Value)
	}
	return ps, nil
}

// CheckParams reports whether the overrides fit the scenario.
func (sc *Scenario) CheckParams(overrides sim.Params) error {
	_, err := sc.params(overrides)
	return err
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
// Options.Params overrides the scenario's sizes; an unknown one panics (CheckParams
// first).
func (sc *Scenario) Run(opts RunOptions) *sim.Verdict {
	o := opts.Options
	o.Faults = sc.Faults
	var err error
	if o.Params, err = sc.params(o.Params); err != nil {
		panic(err)
	}
	if o.Strategy.Steps == 0 && o.Strategy.Resolve(o.Seed).Kind == sim.PCTKind {
		o.Strategy.Steps = sc.pctSteps(o)
	}
	return sim.Run(o, sc.Body)
}

// RunReal runs the scenario once on real goroutines over loopback TCP. It is not
// reproducible: the workload's random choices and the interleaving come from the machine.
func (sc *Scenario) RunReal(opts sim.RealOptions) *sim.Verdict {
	if !sc.Real {
		panic("catalog: " + sc.Name + " does not run under the real runtime")
	}
	var err error
	if opts.Params, err = sc.params(opts.Params); err != nil {
		panic(err)
	}
	return sim.RunReal(opts, sc.Body)
}

// pctSteps measures, once per parameter set, the contended decisions of a sequential run.
func (sc *Scenario) pctSteps(base sim.Options) int {
	key := base.Params.String()
	sc.probeMu.Lock()
	defer sc.probeMu.Unlock()
	if n, ok := sc.probes[key]; ok {
		return n
	}
	o := sim.Options{Faults: sc.Faults, Params: base.Params}
	o.Strategy = sim.Sequential
	o.MaxSteps = base.MaxSteps
	o.Watchdog = base.Watchdog
	o.Baton = base.Baton
	v := sim.Run(o, sc.Body)
	if sc.probes == nil {
		sc.probes = make(map[string]int)
	}
	sc.probes[key] = max(int(v.Contended), 1)
	return sc.probes[key]
}
