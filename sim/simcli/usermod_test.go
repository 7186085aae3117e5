package simcli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestUserModule checks that another module gets every simrun feature for its own
// scenarios. testdata/usermod is a module of its own (example.com/usermod, requiring
// muxsim through a replace of this checkout) with one scenario, a shop with a planted
// check-then-act race, and a main of a few lines that calls Main with its catalogue. The
// test builds that main with the go command, offline, and drives it as a user would: a
// sweep, failure bundles, traces, shrinking, replay of the saved decisions, the
// determinism check and shards. It also proves the import direction: the user's binary
// links no muxsim engine package.
func TestUserModule(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH: cannot build testdata/usermod")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "mysim")
	build := exec.Command(goCmd, "build", "-o", exe, "./cmd/mysim")
	build.Dir = filepath.Join("testdata", "usermod")
	// Offline, with the module cache the main module uses; a workspace would hide the
	// module's own go.mod.
	build.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=readonly")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/mysim in testdata/usermod: %v\n%s", err, out)
	}
	mysim := func(args ...string) (stdout, stderr string, code int) {
		var o, e bytes.Buffer
		cmd := exec.Command(exe, args...)
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		if exit, ok := err.(*exec.ExitError); ok {
			return o.String(), e.String(), exit.ExitCode()
		} else if err != nil {
			t.Fatalf("mysim %v: %v", args, err)
		}
		return o.String(), e.String(), 0
	}

	// The import direction: the user's program imports sim, catalog and simcli, not the
	// engine (mux, simnet) nor muxsim's scenarios.
	list := exec.Command(goCmd, "list", "-deps", "./cmd/mysim")
	list.Dir, list.Env = build.Dir, build.Env
	deps, err := list.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, deps)
	}
	for _, p := range strings.Fields(string(deps)) {
		switch p {
		case "github.com/muxsim/muxsim/mux", "github.com/muxsim/muxsim/simnet", "github.com/muxsim/muxsim/scenarios":
			t.Errorf("the user's program imports %s", p)
		}
	}

	// A sweep: some seeds fail, not all, with failing lines and a replay command.
	out, errOut, code := mysim("-seeds", "1-200")
	failed := regexp.MustCompile(`(?m)^scenario=shop-oversell seed=(\d+) .* hash=([0-9a-f]{16}) failure=assert$`).FindAllStringSubmatch(out, -1)
	if code != 1 || len(failed) == 0 || len(failed) == 200 || !strings.Contains(errOut, "replay: go run ./cmd/mysim -scenario shop-oversell -seed ") {
		t.Fatalf("sweep: exit %d, %d failing lines (want some, not all):\n%s%s", code, len(failed), out, errOut)
	}
	seed, hash := failed[0][1], failed[0][2]

	// -out: a bundle per failure, named after the scenario.
	bundles := filepath.Join(dir, "bundles")
	if _, errOut, code := mysim("-seeds", "1-200", "-out", bundles); code != 1 || !strings.Contains(errOut, "bundle: ") {
		t.Fatalf("-out: exit %d\n%s", code, errOut)
	}
	base := filepath.Join(bundles, "shop-oversell-seed"+seed)
	for _, ext := range []string{".txt", ".decisions", ".html", ".jsonl"} {
		if _, err := os.Stat(base + ext); err != nil {
			t.Errorf("bundle lacks %s: %v", ext, err)
		}
	}
	if b, _ := os.ReadFile(base + ".txt"); !bytes.Contains(b, []byte("scenario:  shop-oversell")) {
		t.Errorf("bundle text does not name the scenario:\n%s", b)
	}

	// -trace, in two formats.
	for _, name := range []string{"run.html", "run.jsonl"} {
		path := filepath.Join(dir, name)
		if _, errOut, code := mysim("-scenario", "shop-oversell", "-seed", seed, "-trace", path); code != 1 {
			t.Fatalf("-trace %s: exit %d\n%s", name, code, errOut)
		}
		if st, err := os.Stat(path); err != nil || st.Size() < 500 {
			t.Errorf("-trace %s wrote nothing useful: %v", name, err)
		}
	}

	// -replay of the bundle's decisions: the same failure, the same hash.
	rout, rerr, code := mysim("-replay", base+".decisions")
	if code != 1 || !strings.Contains(rout, "hash="+hash+" failure=assert") || strings.Contains(rerr, "no longer replays") {
		t.Fatalf("-replay: exit %d, want hash %s:\n%s%s", code, hash, rout, rerr)
	}

	// -shrink: the shape before and after, and a decision file that replays.
	shrunk := filepath.Join(dir, "shrunk")
	sout, serr, code := mysim("-scenario", "shop-oversell", "-seed", seed, "-shrink", "-out", shrunk)
	if code != 1 || !strings.Contains(sout, "original: ") || !strings.Contains(sout, "shrunk:   ") ||
		!strings.Contains(sout, "replay:   go run ./cmd/mysim -replay ") {
		t.Fatalf("-shrink: exit %d\n%s%s", code, sout, serr)
	}
	file := filepath.Join(shrunk, "shop-oversell-seed"+seed+".decisions")
	if rout, rerr, code := mysim("-replay", file); code != 1 || !strings.Contains(rout, "failure=assert") || strings.Contains(rerr, "no longer replays") {
		t.Fatalf("-replay of the shrunk run: exit %d\n%s%s", code, rout, rerr)
	}

	// -check-determinism: failures, but every seed replays itself.
	if out, errOut, _ := mysim("-seeds", "1-200", "-check-determinism", "-v"); strings.Contains(out, "nondeterministic") || strings.Count(out, "\nscenario=")+1 < 200 {
		t.Fatalf("-check-determinism:\n%s%s", out, errOut)
	}

	// -shard 1/2 and 2/2 together run the sweep exactly once.
	lines := func(out string) []string {
		var ls []string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "scenario=") {
				ls = append(ls, l)
			}
		}
		return ls
	}
	whole, _, _ := mysim("-seeds", "1-200", "-v")
	a, _, _ := mysim("-seeds", "1-200", "-v", "-shard", "1/2")
	b, _, _ := mysim("-seeds", "1-200", "-v", "-shard", "2/2")
	la, lb := lines(a), lines(b)
	if len(la) != 100 || len(lb) != 100 || !slices.Equal(slices.Sorted(slices.Values(append(la, lb...))), slices.Sorted(slices.Values(lines(whole)))) {
		t.Fatalf("shards ran %d and %d runs, or differ from the whole sweep's %d", len(la), len(lb), len(lines(whole)))
	}

	// Without known bugs, -bug is a usage error.
	if _, errOut, code := mysim("-bug", "B1"); code != 2 || !strings.Contains(errOut, "mysim has no known bugs") {
		t.Fatalf("-bug in a program without bugs: exit %d\n%s", code, errOut)
	}
}
