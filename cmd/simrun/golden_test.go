package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/quickstart.golden with the current output")

// goldenHeader opens the golden file: what it pins and how to regenerate it.
const goldenHeader = `# The README's quick start, simrun -seed 1234: one verdict line per scenario of the
# default catalogue, hashes included. The trace hash is a function of every scheduling
# decision and event, so a change here means every stored seed (the regression corpus,
# decision files, seeds in bug reports) now replays a different run. Regenerate with
# go test ./cmd/simrun -run TestQuickStartGolden -rewrite, and say why in the commit.
`

// TestQuickStartGolden pins the quick start's output against testdata/quickstart.golden:
// a change to the scheduler, the runtime, the engine or a scenario that alters any run
// shows up here as a changed hash, on purpose rather than by accident.
func TestQuickStartGolden(t *testing.T) {
	out, errOut, code := simrun("-seed", "1234")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	path := filepath.Join("testdata", "quickstart.golden")
	if *rewrite {
		if err := os.WriteFile(path, []byte(goldenHeader+out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with go test ./cmd/simrun -run TestQuickStartGolden -rewrite)", err)
	}
	var want []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	for i := range max(len(want), len(got)) {
		w, g := at(want, i), at(got, i)
		if w != g {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, g, w)
		}
	}
	if t.Failed() {
		t.Fatalf("simrun -seed 1234 no longer prints %s. If the change is intended, regenerate it with\n"+
			"\tgo test ./cmd/simrun -run TestQuickStartGolden -rewrite\n"+
			"and know that changed hashes mean every stored seed (regression corpus, decision files, "+
			"seeds in bug reports) now replays a different run.", path)
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(none)"
}
