package simcli

import (
	"fmt"
	"strings"
	"time"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
)

// Replay is one run as the command line that reproduces it: what a failure report prints
// after "replay:". It carries every flag that shapes the run, so that the command gives
// the same verdict and hash; a go test helper can print the same line with String.
type Replay struct {
	// Package is what go run builds, e.g. "./cmd/simrun".
	Package string
	// Tags are the build tags the run needs, e.g. "muxbugs" when Bug is set. Default none.
	Tags string
	// Bug is the known bug switched on. Default none.
	Bug string
	// Scenario and Seed name the run.
	Scenario string
	Seed     uint64
	// Strategy is the concrete strategy, as the verdict line prints it ("random",
	// "pct3"): the portfolio already resolved by the seed.
	Strategy string
	// Params are the workload sizes that override the scenario's defaults. Default none.
	Params sim.Params
	// Baton is "coro" or "chan"; "" (the default) leaves the flag out.
	Baton string
	// MaxSteps and Watchdog are the run's limits; zero or the scheduler's default leaves
	// the flag out.
	MaxSteps uint64
	Watchdog time.Duration
}

// String renders the command:
//
//	go run [-tags TAGS] PACKAGE [-bug B] -scenario S -seed N -strategy S [-param P] [-baton B] [-max-steps N] [-watchdog D]
func (r Replay) String() string {
	args := []string{r.GoRun()}
	if r.Bug != "" {
		args = append(args, "-bug", r.Bug)
	}
	args = append(args, "-scenario", r.Scenario, "-seed", fmt.Sprint(r.Seed))
	if r.Strategy != "" {
		args = append(args, "-strategy", r.Strategy)
	}
	if len(r.Params) > 0 {
		args = append(args, "-param", r.Params.String())
	}
	return strings.Join(append(args, r.limitFlags()...), " ")
}

// GoRun is how the command starts: go run, the build tags if any, and the package.
func (r Replay) GoRun() string {
	if r.Tags != "" {
		return "go run -tags " + r.Tags + " " + r.Package
	}
	return "go run " + r.Package
}

// limitFlags are the flags of the baton and the limits that differ from the defaults:
// the ones a replay of a decision file needs as well.
func (r Replay) limitFlags() []string {
	var args []string
	if r.Baton != "" {
		args = append(args, "-baton", r.Baton)
	}
	if r.MaxSteps != 0 && r.MaxSteps != scheduler.DefaultMaxSteps {
		args = append(args, "-max-steps", fmt.Sprint(r.MaxSteps))
	}
	if r.Watchdog != 0 && r.Watchdog != scheduler.DefaultWatchdog {
		args = append(args, "-watchdog", r.Watchdog.String())
	}
	return args
}

// fileCommand is the command that replays a decision file with the run's limits.
func (r Replay) fileCommand(path string) string {
	return strings.Join(append([]string{r.GoRun(), "-replay", path}, r.limitFlags()...), " ")
}
