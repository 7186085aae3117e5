package catalog

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Catalog is a set of scenarios with unique names, kept sorted by name. Its methods may
// be called from several goroutines; in practice it is filled at init and read after.
type Catalog struct {
	mu  sync.Mutex
	scs []*Scenario // sorted by name
}

// New returns an empty catalogue.
func New() *Catalog { return &Catalog{} }

// Add adds scenarios to the catalogue. It panics on a name the catalogue already has, or
// that two of scs share, and on a scenario without a name or a body: those are bugs of
// the program that declares them.
func (c *Catalog) Add(scs ...*Scenario) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, sc := range scs {
		if sc.Name == "" || sc.Body == nil {
			panic(fmt.Sprintf("catalog: scenario %q needs a name and a body", sc.Name))
		}
		if c.lookup(sc.Name) != nil {
			panic(fmt.Sprintf("catalog: %q registered twice", sc.Name))
		}
		c.scs = append(c.scs, sc)
		slices.SortFunc(c.scs, func(a, b *Scenario) int { return strings.Compare(a.Name, b.Name) })
	}
}

// Merge returns a new catalogue with the scenarios of c and of others. It panics on a
// name two of them share.
func (c *Catalog) Merge(others ...*Catalog) *Catalog {
	out := New()
	for _, x := range append([]*Catalog{c}, others...) {
		out.Add(x.All()...)
	}
	return out
}

// All returns every scenario, sorted by name.
func (c *Catalog) All() []*Scenario {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.scs)
}

// Default returns the default catalogue: every scenario but the canaries.
func (c *Catalog) Default() []*Scenario {
	return c.filter(func(sc *Scenario) bool { return !sc.Canary })
}

// RealOnes returns the stress-style scenarios, those that also run on the real runtime.
func (c *Catalog) RealOnes() []*Scenario {
	return c.filter(func(sc *Scenario) bool { return sc.Real })
}

// Lookup returns the scenario called name, or nil.
func (c *Catalog) Lookup(name string) *Scenario {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lookup(name)
}

func (c *Catalog) lookup(name string) *Scenario {
	for _, sc := range c.scs {
		if sc.Name == name {
			return sc
		}
	}
	return nil
}

func (c *Catalog) filter(keep func(*Scenario) bool) []*Scenario {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*Scenario
	for _, sc := range c.scs {
		if keep(sc) {
			out = append(out, sc)
		}
	}
	return out
}

// registered is the process-wide catalogue that Register fills.
var registered = New()

// Register adds scenarios to the process-wide catalogue, for init functions of packages
// that declare scenarios; it panics on a duplicate name, as Add does.
func Register(scs ...*Scenario) { registered.Add(scs...) }

// Registered returns the process-wide catalogue: every scenario that an init function
// passed to Register. Package scenarios (muxsim's own) keeps a catalogue of its own
// instead, so importing it does not add its scenarios to yours.
func Registered() *Catalog { return registered }
