package scenarios

import (
	"bufio"
	"github.com/muxsim/muxsim/internal/muxbugs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
)

// regression is one line of the corpus: a seed of a scenario that once failed, either on
// our own engine before commit fixedIn, or with the known bug switched on.
type regression struct {
	file    string
	line    int
	seed    uint64
	fixedIn string
	bug     string
	what    string
}

// readRegressions reads testdata/regressions/SCENARIO.txt: lines "SEED FIXED-IN WHAT" or
// "SEED bug=NAME WHAT"; # starts a comment.
func readRegressions(t *testing.T) map[string][]regression {
	paths, err := filepath.Glob(filepath.Join("testdata", "regressions", "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no regression corpus under testdata/regressions: %v", err)
	}
	out := make(map[string][]regression)
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".txt")
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.SplitN(line, " ", 3)
			seed, err := strconv.ParseUint(fields[0], 10, 64)
			if err != nil || len(fields) < 3 {
				t.Fatalf("%s:%d: want SEED FIXED-IN|bug=NAME WHAT, got %q", p, n, line)
			}
			r := regression{file: p, line: n, seed: seed, what: fields[2]}
			if b, ok := strings.CutPrefix(fields[1], "bug="); ok {
				r.bug = b
			} else {
				r.fixedIn = fields[1]
			}
			out[name] = append(out[name], r)
		}
		f.Close()
	}
	return out
}

// TestRegressions replays the regression corpus with the default strategy: every seed
// that once failed must pass on the fixed engine. Built with -tags muxbugs, a seed
// recorded for a known bug must also still fail with that bug on; otherwise the scenario
// has drifted and the seed no longer tests what its line says. The nightly sweep's
// failures join the corpus once fixed (README, "Nightly sweeps").
func TestRegressions(t *testing.T) {
	for name, regs := range readRegressions(t) {
		sc := Lookup(name)
		if sc == nil {
			t.Errorf("testdata/regressions/%s.txt names no scenario", name)
			continue
		}
		for _, r := range regs {
			v := sc.Run(opts(r.seed, "portfolio", scheduler.BatonCoroutine))
			if !v.OK() {
				t.Errorf("%s:%d: %s seed %d fails again (%s): %s\nreplay: go run ./cmd/simrun -scenario %s -seed %d",
					r.file, r.line, name, r.seed, r.what, v.Failure, name, r.seed)
			}
			if r.bug == "" || !muxbugs.Compiled {
				continue
			}
			if err := muxbugs.Enable(r.bug); err != nil {
				t.Fatalf("%s:%d: %v", r.file, r.line, err)
			}
			v = sc.Run(opts(r.seed, "portfolio", scheduler.BatonCoroutine))
			_ = muxbugs.Enable("none")
			if v.OK() {
				t.Errorf("%s:%d: with %s on, %s seed %d no longer fails: the seed tests nothing now",
					r.file, r.line, r.bug, name, r.seed)
			}
		}
	}
}
