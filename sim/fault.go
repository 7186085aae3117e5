package sim

import (
	"slices"

	"github.com/muxsim/muxsim/scheduler"
)

// Faults configures fault points (BUGGIFY, as in FoundationDB). At its first use in a
// run a fault site is enabled or not for the whole run (swarm testing: each seed exercises
// a different subset of fault kinds); an enabled site then fires with probability Fire each
// time it is reached. Each site draws from its own stream, so enabling one site does not
// shift the decisions of any other. The zero value enables faults with FoundationDB's
// probabilities.
//
// Under the Tape strategy both draws come from the run's tape (scheduler.Rand.Happens):
// a zero draw leaves a site disabled and an enabled site silent, so a shrinker that
// lowers draws removes faults. Enable and Fire are then rounded to sixteenths.
type Faults struct {
	// Off disables every fault point. Default false.
	Off bool
	// Enable is the probability that a site is enabled for a run. Default 0.25.
	Enable float64
	// Fire is the probability that an enabled site fires each time. Default 0.25.
	Fire float64
	// Only, when not empty, enables exactly these sites (and no others), without a draw.
	Only []string
	// Never disables these sites.
	Never []string
}

// Defaults of Faults.
const (
	DefaultFaultEnable = 0.25
	DefaultFaultFire   = 0.25
)

type faultSite struct {
	name    string
	enabled bool
	fired   int
	r       *scheduler.Rand
}

type faultTable struct {
	cfg   Faults
	sites []*faultSite // in first-use order; a slice, not a map, to keep the race detector quiet
}

// Fault reports whether the fault at site should be injected now. Under the real runtime
// it is always false, and after Heal too (an enabled site still draws, so that its stream
// stays where the unhealed run's would be). A fault that fires is recorded in the trace
// as "fault SITE", and numbered with the run's other injected faults (Runtime.Inject), so
// that a shrinker can hold it back.
//
//go:norace
func (rt *Runtime) Fault(site string) bool {
	if rt.s == nil || rt.faults == nil {
		return false
	}
	fs := rt.faults.site(rt.s, site)
	if !fs.enabled || !fs.r.Happens(rt.faults.cfg.Fire) || !rt.Inject("fault "+site) {
		return false
	}
	fs.fired++
	rt.s.Note("fault " + site)
	return true
}

//go:norace
func (ft *faultTable) site(s *scheduler.Sched, name string) *faultSite {
	for _, fs := range ft.sites {
		if fs.name == name {
			return fs
		}
	}
	fs := &faultSite{name: name, r: s.Stream("fault:" + name)}
	switch {
	case ft.cfg.Off || slices.Contains(ft.cfg.Never, name):
	case len(ft.cfg.Only) > 0:
		fs.enabled = slices.Contains(ft.cfg.Only, name)
	default:
		fs.enabled = fs.r.Happens(ft.cfg.Enable)
	}
	ft.sites = append(ft.sites, fs)
	return fs
}

func newFaultTable(cfg Faults) *faultTable {
	if cfg.Enable == 0 {
		cfg.Enable = DefaultFaultEnable
	}
	if cfg.Fire == 0 {
		cfg.Fire = DefaultFaultFire
	}
	return &faultTable{cfg: cfg}
}
