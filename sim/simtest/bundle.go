package simtest

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// bundle is what a failure bundle says about one failed run.
type bundle struct {
	name    string         // the test's name, t.Name()
	seeds   []runfile.Span // the sweep
	single  bool           // the run was a -sim.seed replay
	asked   sim.Strategy
	verdict *sim.Verdict // with its event log
	faults  *sim.FaultLog
	replay  string
}

// writeBundle writes, under dir, TEST-seedN.txt (the run's identity, the build, the
// report and the replay command), TEST-seedN.decisions (the run's schedule, for
// -sim.replay), and the run's traces TEST-seedN.html and TEST-seedN.jsonl, where TEST is
// the test's name with / as -. It returns the text file's path.
func writeBundle(dir string, bd bundle) (string, error) {
	base := filepath.Join(dir, fmt.Sprintf("%s-seed%d", fileName(bd.name), bd.verdict.Seed))
	decisions := base + ".decisions"
	s := &runfile.Script{Seed: bd.verdict.Seed, Jitter: bd.verdict.Strategy.Jitter, Hash: bd.verdict.Hash,
		Decisions: runfile.TrimZeros(bd.verdict.Decisions)}
	comment := fmt.Sprintf("%s seed %d strategy %s; replay: %s -sim.replay=%s", bd.name, s.Seed,
		bd.verdict.Strategy, goTest(bd.name), shellQuote(absPath(decisions)))
	return runfile.WriteBundle(base, bd.verdict, bd.writeText,
		func(w io.Writer) error { return writeScript(w, s, comment) })
}

func (bd bundle) writeText(w io.Writer) error {
	v := bd.verdict
	var b strings.Builder
	fmt.Fprintf(&b, "muxsim simtest failure bundle\n\n")
	fmt.Fprintf(&b, "test:      %s in %s\n", bd.name, packageDir())
	if bd.single {
		fmt.Fprintf(&b, "seed:      %d\n", v.Seed)
	} else {
		fmt.Fprintf(&b, "seed:      %d (sweep %s)\n", v.Seed, runfile.FormatSeeds(bd.seeds))
	}
	fmt.Fprintf(&b, "strategy:  %s (asked for %s)\n", v.Strategy, bd.asked)
	fmt.Fprintf(&b, "faults:    %d injected%s\n", bd.faults.Injected(), runfile.FaultSites(bd.faults))
	fmt.Fprintf(&b, "go:        %s %s/%s%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, raceNote())
	fmt.Fprintf(&b, "verdict:   steps=%d vtime=%v hash=%016x\n", v.Steps, v.Time, v.Hash)
	fmt.Fprintf(&b, "replay:    %s\n", bd.replay)
	fmt.Fprintf(&b, "schedule:  %s-seed%d.decisions (for -sim.replay)\n\n", fileName(bd.name), v.Seed)
	b.WriteString(v.Report())
	_, err := io.WriteString(w, b.String())
	return err
}

func raceNote() string {
	if scheduler.RaceEnabled {
		return " -race"
	}
	return ""
}

// fileName turns a test name into a file name: / becomes -, and anything but letters,
// digits, '.', '_' and '-' becomes '_'.
func fileName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '/':
			return '-'
		case r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			return r
		}
		return '_'
	}, name)
}
