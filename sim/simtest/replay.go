package simtest

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// replayCommand is the go test command, to be run from the module root, that runs test
// name with this one seed and strategy: go test ./pkg -run '^TestX$/^sub$' -count=1
// -args -sim.seed=N -sim.strategy=S.
func replayCommand(name string, seed uint64, st sim.Strategy) string {
	cmd := goTest(name) + " -sim.seed=" + strconv.FormatUint(seed, 10)
	if s, ok := strategyFlagValue(st); ok {
		cmd += " -sim.strategy=" + s
	}
	return cmd
}

// sweepCommand is the go test command that reruns test name's sweep over seeds.
func sweepCommand(name string, seeds []runfile.Span) string {
	return goTest(name) + " -sim.seeds=" + runfile.FormatSeeds(seeds)
}

// goTest is the start of a command that runs test name alone, up to -args.
func goTest(name string) string {
	args := []string{"go", "test"}
	if scheduler.RaceEnabled {
		// A failure the race detector reported shows again only under -race.
		args = append(args, "-race")
	}
	if tags := buildTags(); tags != "" {
		// Code behind build tags (a muxbugs build) is another program: the seed
		// replays only in the same one.
		args = append(args, "-tags", shellQuote(tags))
	}
	args = append(args, packageDir(), "-run", shellQuote(runPattern(name)), "-count=1", "-args")
	return strings.Join(args, " ")
}

// buildTags are the -tags the test binary was built with, "" for none.
func buildTags() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, st := range bi.Settings {
		if st.Key == "-tags" {
			return st.Value
		}
	}
	return ""
}

// replayCommand is the command that replays failed run v of test name: by seed and
// strategy, or, for a run that replayed a decisions file, by that file.
func (p *plan) replayCommand(name string, v *sim.Verdict) string {
	if p.script != "" {
		return goTest(name) + " -sim.replay=" + shellQuote(absPath(p.script))
	}
	return replayCommand(name, v.Seed, v.Strategy)
}

// strategyFlagValue is the -sim.strategy value that gives strategy st, if there is one: a
// recorded script or a tape comes from the options, not a flag.
func strategyFlagValue(st sim.Strategy) (string, bool) {
	switch st.Kind {
	case sim.PortfolioKind, sim.RandomKind, sim.PCTKind, sim.SequentialKind:
		return st.String(), true
	}
	return "", false
}

// runPattern is the -run pattern that selects exactly the test or subtest called name:
// each element of the name anchored and quoted, since go test matches a subtest path
// element by element.
func runPattern(name string) string {
	elems := strings.Split(name, "/")
	for i, e := range elems {
		elems[i] = "^" + regexp.QuoteMeta(e) + "$"
	}
	return strings.Join(elems, "/")
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// packageDir is the test's package as go test names it from the module root: ./rel/path,
// or . for the root. A test binary runs in its package's directory, so walking up from
// there to go.mod finds both. Without a go.mod above (a test binary copied elsewhere) it
// is ".", to be run from the package's directory.
var packageDir = sync.OnceValue(func() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil || rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
})
