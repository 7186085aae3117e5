package simtest

import (
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
)

// finish runs two tasks, a and b, and returns the one that finished first.
func finish(rt *sim.Runtime) string {
	var first string
	mu := rt.NewMutex("first")
	g := rt.NewGroup("racers")
	for _, name := range []string{"a", "b"} {
		g.Go(name, func() {
			rt.Yield()
			mu.Lock()
			if first == "" {
				first = name
			}
			mu.Unlock()
		})
	}
	g.Wait()
	return first
}

// race declares two sites: "b finishes first" holds on some schedules only, and "never"
// on none.
func race(rt *sim.Runtime) {
	first := finish(rt)
	rt.Sometimes(first == "b", "b finishes first")
	rt.Sometimes(first == "", "never")
}

// TestRequireSometimes: a site that never held in the sweep is logged, and with
// RequireSometimes fails the test with a message naming it and a rerun command; a site
// that held somewhere is not reported.
func TestRequireSometimes(t *testing.T) {
	for _, require := range []bool{false, true} {
		r := record(t, "TestX")
		check(r, Options{RequireSometimes: require, Seeds: 50, Options: sim.Options{Strategy: sim.Random}}, settings{}, race)
		reports := r.logs
		if require {
			reports = r.errors
			if len(r.logs) != 0 {
				t.Errorf("RequireSometimes: logs too: %q", r.logs)
			}
		} else if len(r.errors) != 0 {
			t.Errorf("without RequireSometimes: errors %q", r.errors)
		}
		if len(reports) != 1 {
			t.Fatalf("RequireSometimes=%t: want one report, got errors %q logs %q", require, r.errors, r.logs)
		}
		msg := reports[0]
		if !strings.Contains(msg, `"never" (evaluated 50 times)`) || strings.Contains(msg, "b finishes first") {
			t.Errorf("RequireSometimes=%t: the report should name \"never\" alone:\n%s", require, msg)
		}
		if require && !strings.HasSuffix(msg, "-count=1 -args -sim.seeds=1-50") {
			t.Errorf("the failure does not end with its rerun command:\n%s", msg)
		}
	}
}

// TestRequireSometimesPasses: when every site held in some seed, RequireSometimes passes
// quietly.
func TestRequireSometimesPasses(t *testing.T) {
	r := record(t, "TestX")
	body := func(rt *sim.Runtime) {
		first := finish(rt)
		rt.Sometimes(first == "a", "a finishes first")
		rt.Sometimes(first == "b", "b finishes first")
	}
	check(r, Options{RequireSometimes: true, Options: sim.Options{Strategy: sim.Random}}, settings{}, body)
	if len(r.errors)+len(r.fatals)+len(r.logs) != 0 {
		t.Errorf("want a quiet pass, got errors %q fatals %q logs %q", r.errors, r.fatals, r.logs)
	}
}

// TestSometimesSingleSeed: a -sim.seed replay does not enforce RequireSometimes, since one
// seed cannot be expected to reach every site.
func TestSometimesSingleSeed(t *testing.T) {
	r := record(t, "TestX")
	check(r, Options{RequireSometimes: true}, settings{seed: "3"}, race)
	if len(r.errors)+len(r.fatals) != 0 {
		t.Errorf("a -sim.seed run failed: errors %q fatals %q", r.errors, r.fatals)
	}
}
