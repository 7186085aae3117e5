package simcli

import (
	"flag"
	"fmt"
	"slices"
)

// mode is what one invocation does; each reads its own subset of the flags.
type mode int

const (
	modeSweep mode = iota
	modeList
	modeBugs
	modePower
	modeReal
	modeReplay
	modeShrink
	modeWhy
)

var modeNames = [...]string{"a sweep", "-list", "-bugs", "-power", "-real", "-replay", "-shrink", "-why"}

// modeFlags are the flags each mode reads. A flag set outside its mode's list is a usage
// error rather than silently ignored: a user who writes -real -trace expects a trace.
var modeFlags = [...][]string{
	modeSweep: {"seed", "seeds", "scenario", "canaries", "strategy", "jitter", "baton", "parallel", "json", "v",
		"max-steps", "bug", "watchdog", "shard", "check-determinism", "out", "trace", "param"},
	modeList:   {"list", "v", "real"},
	modeBugs:   {"bugs"},
	modePower:  {"power", "seeds", "scenario", "canaries", "jitter", "bug", "parallel", "max-steps", "watchdog", "baton", "param"},
	modeReal:   {"real", "for", "seed", "seeds", "scenario", "v", "bug", "param"},
	modeReplay: {"replay", "trace", "max-steps", "watchdog", "baton"},
	modeShrink: {"shrink", "scenario", "canaries", "seed", "seeds", "strategy", "jitter", "baton", "max-steps", "watchdog",
		"param", "bug", "out"},
	modeWhy: {"why", "why-runs", "max-steps", "watchdog", "baton", "parallel", "out", "trace"},
}

// modeOf picks the mode; the first of -list, -bugs, -power, -real, -replay, -shrink, -why
// that is set wins, and the others are then flags the mode does not read.
func modeOf(v *flagValues) mode {
	switch {
	case v.list:
		return modeList
	case v.listBugs:
		return modeBugs
	case v.power:
		return modePower
	case v.real:
		return modeReal
	case v.replay != "":
		return modeReplay
	case v.shrink:
		return modeShrink
	case v.why != "":
		return modeWhy
	}
	return modeSweep
}

// checkModeFlags fails on a flag given that m does not read (the first by name).
func checkModeFlags(fs *flag.FlagSet, m mode) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err == nil && !slices.Contains(modeFlags[m], f.Name) {
			err = fmt.Errorf("-%s does nothing with %s: leave it out", f.Name, modeNames[m])
		}
	})
	return err
}
