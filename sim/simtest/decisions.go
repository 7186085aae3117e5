package simtest

import (
	"fmt"
	"io"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// A simtest decision file is a runfile.Script with only the seed (which draws the
// workload and the faults), whether time was perturbed, the hash of the recorded run, and
// the scheduling decisions (with the perturbation's draws), which the Replay strategy
// follows: the test is the scenario. A person may edit the decisions; past their end the
// run takes the non-preemptive default.

// writeScript saves s in the format -sim.replay reads: the comment line, the header line
// seed=N [jitter=on] hash=H, then the decisions.
func writeScript(w io.Writer, s *runfile.Script, comment string) error {
	return s.Write(w, "muxsim decisions: "+comment)
}

// readScript reads a decisions file. A header that gives more than the seed, jitter and
// hash (simrun's
// files name a scenario, bugs, sizes and faults) describes a run simtest cannot replay,
// and is an error rather than half followed.
func readScript(path string) (*runfile.Script, error) {
	s, err := runfile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if s.Scenario != "" || s.Bug != "" || len(s.Params) > 0 || len(s.Suppress) > 0 {
		return nil, fmt.Errorf("%s: want the header line seed=N [jitter=on] [hash=H]: a simtest replay follows only the seed and the decisions", path)
	}
	return s, nil
}

// replayStrategy is the Replay strategy that follows the script.
func replayStrategy(s *runfile.Script) sim.Strategy {
	return sim.Strategy{Kind: sim.ReplayKind, Decisions: s.Decisions, Jitter: s.Jitter}
}
