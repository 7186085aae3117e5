package simcli

import (
	"fmt"
	"io"

	"github.com/muxsim/muxsim/sim/catalog"
	"github.com/muxsim/muxsim/sim/internal/runfile"
	"github.com/muxsim/muxsim/sim/internal/shrink"
)

// replayFile runs the script in a decision file once and prints its verdict line, the
// report if it fails, and the trace with -trace. A run that strays from the file (a
// decision the file names that the run could not take, or another hash) fails with exit
// status 1 and says where: the code changed since the file was written, and the run is
// not the one the file recorded.
func replayFile(cfg *invocation, path string, stdout, stderr io.Writer) int {
	sc, s, err := cfg.loadScript(path, modeReplay)
	if err != nil {
		cfg.errorf(stderr, "-replay: %v\n", err)
		return 2
	}
	v, fl := cfg.replayRun(sc, s, true)
	r := newResult(sc, v)
	fmt.Fprintln(stdout, r.line())
	fmt.Fprintf(stdout, "replayed: %s\n", shrink.Measure(v, fl.Injected()))
	if cfg.traceFile != "" {
		if err := runfile.WriteTrace(cfg.traceFile, v); err != nil {
			cfg.errorf(stderr, "-trace: %v\n", err)
			return 2
		}
	}
	if s.Hash != 0 && v.Hash != s.Hash {
		cfg.errorf(stderr, "-replay: %s no longer replays the run it recorded: %s; the code under test changed since the file was written (hash now %016x, the file's %016x), so this run is not that one\n",
			path, straying(s.Decisions, v.Decisions), v.Hash, s.Hash)
		return 1
	}
	if !r.OK {
		fmt.Fprintf(stderr, "--- FAIL %s (replay of %s)\n%s", sc.Name, path, v.Report())
		return 1
	}
	return 0
}

// loadScript reads a decision file for mode m, looks its scenario up, switches the bug
// it names on and checks its workload sizes.
func (cfg *invocation) loadScript(path string, m mode) (*catalog.Scenario, *runfile.Script, error) {
	s, err := readScript(path)
	if err != nil {
		return nil, nil, err
	}
	sc := cfg.prog.Catalog.Lookup(s.Scenario)
	if sc == nil {
		return nil, nil, fmt.Errorf("unknown scenario %q", s.Scenario)
	}
	if s.Bug != "" {
		if err := enableBug(cfg.prog, s.Bug, m); err != nil {
			return nil, nil, fmt.Errorf("the file switches bug %s on: %v", s.Bug, err)
		}
		cfg.bug = s.Bug
	}
	if err := sc.CheckParams(s.Params); err != nil {
		return nil, nil, err
	}
	return sc, s, nil
}

// straying says where a replay's recorded decisions first differ from the script it
// followed: a decision the script names that the run could not take (it took the default,
// recorded as 0, instead), or a run that ended before the script did.
func straying(script, recorded []int32) string {
	for i, want := range script {
		if i >= len(recorded) {
			return fmt.Sprintf("the run ended after %d decisions, the file has %d", len(recorded), len(script))
		}
		if got := recorded[i]; got != want {
			return fmt.Sprintf("decision %d of the file is %d, the run took %d", i+1, want, got)
		}
	}
	for i := len(script); i < len(recorded); i++ {
		if recorded[i] != 0 {
			return fmt.Sprintf("decision %d of the run is %d, past the file's end", i+1, recorded[i])
		}
	}
	return "the run took every decision of the file, but its events differ"
}
