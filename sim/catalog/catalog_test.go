package catalog

import (
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

func sc(name string, canary, real bool) *Scenario {
	return &Scenario{Name: name, Doc: "Does " + name + ". More.", Canary: canary, Real: real, Body: func(rt *sim.Runtime) {}}
}

func names(scs []*Scenario) string {
	var s []string
	for _, x := range scs {
		s = append(s, x.Name)
	}
	return strings.Join(s, ",")
}

// mustPanic runs f and fails the test unless it panics with a message containing want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		r, _ := recover().(string)
		if !strings.Contains(r, want) {
			t.Errorf("want a panic with %q, got %q", want, r)
		}
	}()
	f()
}

// TestCatalog checks the views of a catalogue (sorted, canaries out of the default, the
// real ones), lookups, merging, and the panics on duplicate or empty declarations.
func TestCatalog(t *testing.T) {
	c := New()
	c.Add(sc("b", false, true), sc("a", false, false))
	c.Add(sc("canary-c", true, false))
	if got := names(c.All()); got != "a,b,canary-c" {
		t.Errorf("All = %s", got)
	}
	if got := names(c.Default()); got != "a,b" {
		t.Errorf("Default = %s", got)
	}
	if got := names(c.RealOnes()); got != "b" {
		t.Errorf("RealOnes = %s", got)
	}
	if c.Lookup("b") == nil || c.Lookup("zz") != nil {
		t.Errorf("Lookup")
	}
	if got := c.Lookup("a").Summary(); got != "Does a." {
		t.Errorf("Summary = %q", got)
	}
	d := New()
	d.Add(sc("d", false, false))
	if got := names(c.Merge(d).All()); got != "a,b,canary-c,d" {
		t.Errorf("Merge = %s", got)
	}
	if got := names(c.All()); got != "a,b,canary-c" {
		t.Errorf("Merge changed its receiver: %s", got)
	}
	mustPanic(t, `"a" registered twice`, func() { c.Add(sc("a", false, false)) })
	mustPanic(t, `"x" registered twice`, func() { New().Add(sc("x", false, false), sc("x", false, false)) })
	mustPanic(t, `"a" registered twice`, func() { c.Merge(c) })
	mustPanic(t, "needs a name and a body", func() { New().Add(&Scenario{Name: "nobody"}) })
}

// TestRegister checks the process-wide catalogue that init functions fill.
func TestRegister(t *testing.T) {
	Register(sc("registered-by-test", false, false))
	if Registered().Lookup("registered-by-test") == nil {
		t.Fatal("Register did not add to Registered()")
	}
	mustPanic(t, "registered twice", func() { Register(sc("registered-by-test", false, false)) })
}

// TestParams checks that a run's sizes are the defaults with overrides applied, and that
// an unknown size or one below its minimum is refused.
func TestParams(t *testing.T) {
	x := sc("p", false, false)
	x.Params = []Param{{Name: "n", Default: 4, Min: 2}}
	var got int
	x.Body = func(rt *sim.Runtime) { got = rt.Param("n") }
	x.Run(RunOptions{})
	if got != 4 {
		t.Errorf("default n = %d", got)
	}
	var o RunOptions
	o.Params = o.Params.With("n", 3)
	x.Run(o)
	if got != 3 {
		t.Errorf("override n = %d", got)
	}
	if x.CheckParams(sim.Params{}.With("m", 1)) == nil || x.CheckParams(sim.Params{}.With("n", 1)) == nil {
		t.Errorf("CheckParams accepted an unknown size or one below its minimum")
	}
}
