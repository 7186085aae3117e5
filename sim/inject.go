package sim

import (
	"slices"
	"time"
)

// FaultLog receives the faults a run injected, for the shrinker and failure bundles.
type FaultLog struct {
	// Sites names each fault the run decided to inject, numbered from 1 by position.
	Sites []string
	// Suppressed counts those that Options.SuppressFaults held back.
	Suppressed int
}

// Injected is the number of faults that went ahead.
func (fl *FaultLog) Injected() int { return len(fl.Sites) - fl.Suppressed }

// injections numbers a run's injected faults and holds back the suppressed ones.
type injections struct {
	suppress []int // sorted fault numbers
	log      *FaultLog
	n        int
	// healed is set by Runtime.Heal, at virtual time healAt: from then on Inject refuses
	// every fault.
	healed bool
	healAt time.Duration
}

// Inject is the last word on a fault that a fault source (simnet's link failures, a fault
// point) has drawn: it numbers the run's faults from 1 in the order they are drawn and
// reports whether this one goes ahead, which it does unless Options.SuppressFaults lists
// its number. The source must draw everything it would have drawn either way, so that a
// suppressed fault changes nothing else about the run. After Runtime.Heal it is always
// false, and the fault is neither numbered nor logged. Under the real runtime it is
// always true.
//
//go:norace
func (rt *Runtime) Inject(site string) bool {
	in := rt.inject
	if in == nil {
		return true
	}
	if in.healed {
		return false
	}
	in.n++
	_, held := slices.BinarySearch(in.suppress, in.n)
	if in.log != nil {
		in.log.Sites = append(in.log.Sites, site)
		if held {
			in.log.Suppressed++
		}
	}
	return !held
}

func newInjections(opts Options) *injections {
	return &injections{suppress: slices.Sorted(slices.Values(opts.SuppressFaults)), log: opts.FaultLog}
}
