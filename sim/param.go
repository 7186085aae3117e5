package sim

import (
	"fmt"
	"slices"
	"strings"
)

// Params are a run's workload sizes by name (streams, rounds, callers), set by the
// harness from a scenario's declared defaults and the user's overrides.
type Params []ParamValue

// ParamValue is one named size.
type ParamValue struct {
	Name  string
	Value int
}

// With returns ps with name set to value, added if absent.
func (ps Params) With(name string, value int) Params {
	out := slices.Clone(ps)
	for i := range out {
		if out[i].Name == name {
			out[i].Value = value
			return out
		}
	}
	return append(out, ParamValue{name, value})
}

func (ps Params) String() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = fmt.Sprintf("%s=%d", p.Name, p.Value)
	}
	return strings.Join(s, ",")
}

// Param returns the run's value of the named workload size. Asking for a size the run was
// not given is a bug in the scenario: it panics.
func (rt *Runtime) Param(name string) int {
	for _, p := range rt.params {
		if p.Name == name {
			return p.Value
		}
	}
	panic(fmt.Sprintf("sim: no parameter %q in this run (have %v)", name, rt.params))
}
