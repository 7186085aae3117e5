package simcli

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

	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// realBudgetMin is the least wall time the real-mode trial of a bug gets, so that a bug
// simulation finds in milliseconds still gets a fair number of real runs.
const realBudgetMin = 2 * time.Second

// measureBugs prints the known-bug table: for each bug, the power row of its scenario,
// then the real-mode trial with at least the wall time the simulation spent on the row.
func measureBugs(cfg *invocation, size uint64, stdout io.Writer) int {
	bugs := cfg.prog.Bugs
	if !bugs.Compiled {
		cfg.errorf(stdout, "-bug all needs a build with -tags %s\n", bugs.Tags)
		return 2
	}
	fmt.Fprintf(stdout, "real = failed / runs of the real-mode scenario on goroutines over loopback TCP "+
		"(a separate process%s) in the wall time the simulation spent on the row, at least %v\n",
		raceNote(), realBudgetMin)
	powerHeader(cfg, size, stdout, []string{"bug", "scenario"}, []string{"µs/run", "replays", "real"})
	for _, b := range bugs.List {
		sc := cfg.prog.Catalog.Lookup(b.Scenario)
		if sc == nil || b.Real == "" {
			continue
		}
		if err := bugs.Enable(b.Name); err != nil {
			cfg.errorf(stdout, "%v\n", err)
			return 2
		}
		row := powerRow(cfg, sc, size)
		real := realTrial(cfg, b.Name, b.Real, max(row.spent, realBudgetMin))
		fmt.Fprintf(stdout, "| %s | %s |%s %.0f | %s | %s |\n", b.Name, b.Scenario, row.cells, row.usPerRun(), yesNo(row.replays), real)
	}
	_ = bugs.Enable("none")
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
func realTrial(cfg *invocation, bug, scenario string, budget time.Duration) string {
	exe, err := os.Executable()
	if err != nil {
		return "no executable: " + err.Error()
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget+2*realTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-real", "-for", budget.String(), "-bug", bug, "-scenario", scenario,
		"-seeds", fmt.Sprintf("1-%d", runfile.SeedsMax))
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
