package simcli

import (
	"fmt"
	"io"

	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// A simrun decision file is a runfile.Script with every field simrun knows: the scenario
// and seed (the workload and fault draws), the bug switched on, the workload sizes, the
// faults held back, the time perturbation, the scheduling decisions and the trace hash of
// the run they were recorded from.

// writeScript saves s in the format -replay reads. replay is the command that replays the
// file, for the comment line.
func writeScript(w io.Writer, s *runfile.Script, comment, replay string) error {
	return s.Write(w, fmt.Sprintf("muxsim decisions (%s); replay: %s", comment, replay))
}

// readScript reads a decision file, which must name its scenario.
func readScript(path string) (*runfile.Script, error) {
	s, err := runfile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if s.Scenario == "" {
		return nil, fmt.Errorf("%s: no header line with scenario= and seed=", path)
	}
	return s, nil
}
