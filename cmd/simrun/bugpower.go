package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/scenarios"
)

// bugTargets names, for each known bug, the scenario that hunts it under simulation and
// the stress-style scenario that tries it on real goroutines over TCP (the simulated one
// when it can run for real; faults that only simnet injects have no real counterpart).
var bugTargets = []struct{ bug, sim, real string }{
	{"B1", "mux-cancel", "mux-cancel"},
	{"B2", "mux-faults", "mux-transport-close"},
	{"B3", "mux-cancel", "mux-cancel"},
	{"B4-slot", "mux-slow-consumer", "mux-slow-consumer"},
	{"B4-alias", "mux-slow-consumer", "mux-slow-consumer"},
	{"B6", "mux-mixed", "mux-mixed"},
	{"B7", "mux-mixed", "mux-mixed"},
	{"B8", "mux-faults", "mux-shutdown-active"},
	{"B9", "mux-cancel-backpressure", "mux-cancel-backpressure"},
	{"B12", "mux-drain", "mux-drain"},
}

// realBudgetMin is the least wall time the real-mode trial of a bug gets, so that a bug
// simulation finds in milliseconds still gets a fair number of real runs.
const realBudgetMin = 2 * time.Second

// measureBugs prints the known-bug table: for each bug, the power row of its scenario,
// then the real-mode trial with at least the wall time the simulation spent on the row.
func measureBugs(cfg *config, size uint64, stdout io.Writer) int {
	if !mux.BugsCompiled {
		fmt.Fprintln(stdout, "simrun: -bug all needs a build with -tags muxbugs")
		return 2
	}
	fmt.Fprintf(stdout, "real = failed / runs of the real-mode scenario on goroutines over loopback TCP "+
		"(a separate process%s) in the wall time the simulation spent on the row, at least %v\n",
		raceNote(), realBudgetMin)
	powerHeader(cfg, size, stdout, []string{"bug", "scenario"}, []string{"µs/run", "replays", "real"})
	for _, t := range bugTargets {
		if err := mux.EnableBug(t.bug); err != nil {
			fmt.Fprintf(stdout, "simrun: %v\n", err)
			return 2
		}
		row := powerRow(cfg, scenarios.Lookup(t.sim), size)
		real := realTrial(cfg, t.bug, t.real, max(row.spent, realBudgetMin))
		fmt.Fprintf(stdout, "| %s | %s |%s %.0f | %s | %s |\n", t.bug, t.sim, row.cells, row.usPerRun(), yesNo(row.replays), real)
	}
	_ = mux.EnableBug("none")
	return 0
}

func raceNote() string {
	if raceEnabled {
		return ", built with -race and GORACE=halt_on_error=1: \"race\" means the detector reported one"
	}
	return ", without -race"
}

// realTrial runs scenario with bug on in a child simrun in real mode for budget, and
// renders what it found. A child keeps hung runs' goroutines and a race report's exit
// out of this process.
func realTrial(cfg *config, bug, scenario string, budget time.Duration) string {
	exe, err := os.Executable()
	if err != nil {
		return "no executable: " + err.Error()
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget+2*realTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-real", "-for", budget.String(), "-bug", bug, "-scenario", scenario,
		"-seeds", fmt.Sprintf("1-%d", maxSeeds))
	cmd.Env = append(os.Environ(), "GORACE=halt_on_error=1 exitcode=66")
	var out bytes.Buffer
	cmd.Stdout = &out
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 66 {
		return "race"
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "summary scenario="+scenario+" mode=real "); ok {
			var runs, failed int
			if _, err := fmt.Sscanf(line, "runs=%d failed=%d", &runs, &failed); err == nil {
				return fmt.Sprintf("%d / %d", failed, runs)
			}
		}
	}
	return fmt.Sprintf("error: %v", err)
}
