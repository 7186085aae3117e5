package scenarios

import "github.com/muxsim/muxsim/sim/catalog"

// The scenario types are those of package catalog, so that a scenario declared here and
// one declared in a user's package are the same kind of value to simrun.
type (
	// Scenario is one simulated workload with its invariants (catalog.Scenario).
	Scenario = catalog.Scenario
	// Param is one workload size of a scenario (catalog.Param).
	Param = catalog.Param
	// RunOptions are the knobs of one run of a scenario (catalog.RunOptions).
	RunOptions = catalog.RunOptions
)

// muxsim is this package's catalogue, filled by init functions and read-only afterwards.
// It is not the process-wide catalogue of catalog.Register, so that a program importing
// this package for its engine tests does not run muxsim's scenarios as its own.
var muxsim = catalog.New()

// register adds scenarios to the catalogue; names must be unique. Call it only from init.
func register(scs ...*Scenario) { muxsim.Add(scs...) }

// Catalog returns muxsim's catalogue: what cmd/simrun runs.
func Catalog() *catalog.Catalog { return muxsim }

// All returns every scenario, sorted by name.
func All() []*Scenario { return muxsim.All() }

// Default returns the default catalogue: every scenario but the canaries.
func Default() []*Scenario { return muxsim.Default() }

// RealOnes returns the stress-style scenarios, those that also run on the real runtime.
func RealOnes() []*Scenario { return muxsim.RealOnes() }

// Lookup returns the scenario called name, or nil.
func Lookup(name string) *Scenario { return muxsim.Lookup(name) }
