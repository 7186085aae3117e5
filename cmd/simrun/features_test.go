package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// verdictLines returns the sorted verdict lines of a sweep's output.
func verdictLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "scenario=") {
			lines = append(lines, l)
		}
	}
	slices.Sort(lines)
	return lines
}

// TestShardsCoverTheSweep checks -shard: two shards of a sweep together report exactly
// the runs of the whole sweep, with the same hashes, none twice; and -parallel does not
// change a run's hash.
func TestShardsCoverTheSweep(t *testing.T) {
	args := []string{"-scenario", "pipeline,ping-pong,mux-burst-unary", "-seeds", "1-40", "-v"}
	whole, _, code := simrun(append(args, "-parallel", "2")...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, whole)
	}
	a, _, _ := simrun(append(args, "-shard", "1/2", "-parallel", "1")...)
	b, _, _ := simrun(append(args, "-shard", "2/2")...)
	all := verdictLines(whole)
	if len(all) != 120 {
		t.Fatalf("want 120 runs, got %d", len(all))
	}
	la, lb := verdictLines(a), verdictLines(b)
	if len(la) != 60 || len(lb) != 60 {
		t.Fatalf("shards ran %d and %d runs, want 60 each", len(la), len(lb))
	}
	if got := slices.Sorted(slices.Values(append(la, lb...))); !slices.Equal(got, all) {
		t.Fatalf("the shards' runs differ from the whole sweep's")
	}
	for _, bad := range []string{"0/2", "3/2", "1/0", "x"} {
		if _, _, code := simrun("-shard", bad); code != 2 {
			t.Errorf("-shard %s: exit %d, want 2", bad, code)
		}
	}
}

// TestCheckDeterminism runs seeds twice through the flag: muxsim's scenarios are
// deterministic. (simcli's tests check the report of a difference.)
func TestCheckDeterminism(t *testing.T) {
	if out, errOut, code := simrun("-scenario", "mux-mixed,pipeline", "-seeds", "1-20", "-check-determinism"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

var shapeRE = regexp.MustCompile(`(\d+) context switches, (\d+) preemptions, (\d+) injected faults`)

func shape(t *testing.T, line string) (switches, faults int) {
	m := shapeRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no run shape in %q", line)
	}
	s, _ := strconv.Atoi(m[1])
	f, _ := strconv.Atoi(m[3])
	return s, f
}

// TestShrink shrinks a canary's failing run: the result fails the same way with at most
// half the context switches and no more faults, and its decision file replays it.
func TestShrink(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := simrun("-scenario", "canary-lock-order", "-seed", "6", "-strategy", "random", "-shrink", "-out", dir)
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	lines := strings.Split(out, "\n")
	s0, f0 := shape(t, lines[0])
	s1, f1 := shape(t, lines[1])
	if s1*2 > s0 || f1 > f0 || !strings.Contains(lines[2], "deadlock") {
		t.Fatalf("shrink did not halve the switches or changed the failure:\n%s", out)
	}
	// The lost-update canary shrinks to its smallest workload: two tasks, one preemption.
	out, _, _ = simrun("-scenario", "canary-lost-update", "-seed", "1", "-strategy", "random", "-shrink", "-out", dir)
	if !strings.Contains(out, "params:   tasks=2") || !strings.Contains(out, " 1 preemptions") {
		t.Fatalf("lost update did not shrink to two tasks and one preemption:\n%s", out)
	}
	file := filepath.Join(dir, "canary-lock-order-seed6.decisions")
	rout, _, code := simrun("-replay", file)
	if code != 1 || !strings.Contains(rout, "failure=deadlock") {
		t.Fatalf("replay of %s: exit %d\n%s", file, code, rout)
	}
	if s, _ := shape(t, rout); s != s1 {
		t.Fatalf("replay has %d switches, the shrunk run %d", s, s1)
	}
}

// TestBundleAndTrace checks that a failing sweep with -out writes a bundle per failure
// (text, decisions, traces), and that -trace writes each format.
func TestBundleAndTrace(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := simrun("-scenario", "canary-lost-update", "-seeds", "1-5", "-strategy", "random", "-out", dir)
	if code != 1 || !strings.Contains(errOut, "bundle: ") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	txt, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(txt) == 0 {
		t.Fatalf("no bundle in %s", dir)
	}
	b, _ := os.ReadFile(txt[0])
	for _, want := range []string{"scenario:  canary-lost-update", "seed:", "build:", "go1.", "replay:    go run ./cmd/simrun", "last "} {
		if !strings.Contains(string(b), want) {
			t.Errorf("bundle lacks %q:\n%s", want, b)
		}
	}
	for _, ext := range []string{".decisions", ".html", ".jsonl"} {
		if _, err := os.Stat(strings.TrimSuffix(txt[0], ".txt") + ext); err != nil {
			t.Errorf("bundle lacks its %s file: %v", ext, err)
		}
	}
	for _, name := range []string{"t.html", "t.json", "t.jsonl"} {
		path := filepath.Join(dir, name)
		if _, errOut, code := simrun("-scenario", "mux-mixed", "-seed", "2", "-trace", path); code != 0 {
			t.Fatalf("-trace %s: exit %d %s", name, code, errOut)
		}
		if st, err := os.Stat(path); err != nil || st.Size() < 1000 {
			t.Errorf("-trace %s wrote nothing useful: %v", name, err)
		}
	}
	if _, _, code := simrun("-seeds", "1-3", "-trace", filepath.Join(dir, "x.html")); code != 2 {
		t.Errorf("-trace over a sweep: exit %d, want 2", code)
	}
}
