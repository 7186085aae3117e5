package translate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// simrunDir is the program of the flag tests: TestLostUpdate fails on most seeds and
// passes on some, TestGlobalState depends on state that outlives a run.
var simrunDir = filepath.Join("testdata", "simrun")

// mainOut runs Main and returns its exit code, standard output and standard error.
func mainOut(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(append([]string{"test"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// TestReplayLine: a failing run's report ends with a replay command that reproduces the
// run. Method: sweep TestLostUpdate over 12 portfolio seeds with a non-default step
// limit, take the replay line of the report, check it names the concrete strategy and
// the limit, run its arguments through Main in-process, and compare the verdict line,
// hash included, with the sweep's line for that seed.
func TestReplayLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	code, out, errb := mainOut(simrunDir, "-run", "LostUpdate", "-seeds", "1-12", "-max-steps", "5000")
	replay := regexp.MustCompile(`(?m)^replay: (.*)$`).FindStringSubmatch(errb)
	if code != 1 || replay == nil {
		t.Fatalf("exit %d, want 1 and a replay line:\n%s%s", code, out, errb)
	}
	args := shellSplit(t, replay[1])
	prefix := strings.Fields(ReplayPrefix)
	if !slices.Equal(args[:len(prefix)], prefix) || !slices.Contains(args, "-max-steps") {
		t.Fatalf("replay line %q: want it to start with %q and carry -max-steps", replay[1], ReplayPrefix)
	}
	seed := args[slices.Index(args, "-seeds")+1]
	want := regexp.MustCompile(`(?m)^scenario=TestLostUpdate seed=` + seed + ` .*$`).FindString(out)
	if strategy := args[slices.Index(args, "-strategy")+1]; !strings.Contains(want, "strategy="+strategy+" ") {
		t.Fatalf("replay line %q does not name the strategy of %q", replay[1], want)
	}
	code, got, errb := mainOut(args[len(prefix):]...)
	if code != 1 || strings.TrimSpace(got) != want {
		t.Fatalf("%s: exit %d, got\n%s\nwant\n%s\n%s", replay[1], code, got, want, errb)
	}
}

// shellSplit splits a command line as a POSIX shell would for the quoting ShellQuote
// writes: words separated by spaces, single-quoted parts taken literally.
func shellSplit(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, w.String())
			}
			w.Reset()
			inWord = false
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quotes in %q", s)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// TestJSONShardParallel: -json, -shard and -parallel print the same runs as the plain
// sweep. Method: sweep TestLostUpdate over seeds 1-12 plainly; then with -json (each
// object must carry the line's fields, failure and failure_kind exactly when it failed);
// then as shards 1/3..3/3 (job k, here seed k+1, belongs to shard k mod 3 + 1: together
// they are the sweep, each line once); then with -parallel 3 (the same output, line for
// line).
func TestJSONShardParallel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program five times")
	}
	base := []string{simrunDir, "-run", "LostUpdate", "-seeds", "1-12"}
	_, plain, _ := mainOut(base...)
	lines := strings.Split(strings.TrimSpace(plain), "\n")
	if len(lines) != 12 || !strings.Contains(plain, "ok=true") || !strings.Contains(plain, "ok=false") {
		t.Fatalf("want 12 lines with passes and failures:\n%s", plain)
	}
	_, js, _ := mainOut(append(base, "-json")...)
	for i, l := range strings.Split(strings.TrimSpace(js), "\n") {
		var r struct {
			Scenario, Strategy, Hash, Failure string
			Seed, Steps                       uint64
			OK                                bool
			VTimeNS                           int64  `json:"vtime_ns"`
			Kind                              string `json:"failure_kind"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil || i >= len(lines) {
			t.Fatalf("line %d %q: %v", i, l, err)
		}
		if !strings.HasPrefix(lines[i], "scenario="+r.Scenario+" ") || !strings.Contains(lines[i], " hash="+r.Hash) ||
			!strings.Contains(lines[i], " strategy="+r.Strategy+" ") || r.OK == (r.Failure != "" || r.Kind != "") {
			t.Errorf("JSON %s does not match the line %s", l, lines[i])
		}
	}
	var union []string
	for i, sh := range []string{"1/3", "2/3", "3/3"} {
		_, out, _ := mainOut(append(base, "-shard", sh)...)
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			k := slices.Index(lines, l)
			if k < 0 || k%3 != i {
				t.Errorf("shard %s ran %q, which is job %d", sh, l, k)
			}
			union = append(union, l)
		}
	}
	slices.Sort(union)
	if sorted := slices.Sorted(slices.Values(lines)); !slices.Equal(union, sorted) {
		t.Errorf("the shards together ran\n%s\nwant\n%s", strings.Join(union, "\n"), strings.Join(sorted, "\n"))
	}
	if code, par, errb := mainOut(append(base, "-parallel", "3")...); code != 1 || par != plain {
		t.Errorf("-parallel 3: exit %d, output\n%s\nwant\n%s\n%s", code, par, plain, errb)
	}
}

// TestCheckDeterminism: -check-determinism passes a deterministic test and fails one
// whose trace depends on state that outlives a run as "nondeterministic", with a replay
// line that carries the flag. Method: TestLostUpdate's verdict lines are those of the
// plain sweep; TestGlobalState starts one goroutine more on every call, so the second run
// of every seed differs from the first.
func TestCheckDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	_, plain, _ := mainOut(simrunDir, "-seeds", "1-10", "-run", "LostUpdate")
	code, out, errb := mainOut(simrunDir, "-seeds", "1-10", "-check-determinism")
	if code != 1 || !strings.HasPrefix(out, plain) || strings.Count(out, "failure=nondeterministic") == 0 ||
		strings.Count(out[len(plain):], "scenario=TestGlobalState") != 10 {
		t.Fatalf("exit %d, want 1, TestLostUpdate's lines as without the flag and nondeterministic TestGlobalState runs:\n%s\nplain:\n%s", code, out, plain)
	}
	if !strings.Contains(errb, " differs from run 1 at step ") {
		t.Errorf("the report does not show where the runs differ:\n%s", errb)
	}
	if !regexp.MustCompile(`(?m)^replay: .*'\^TestGlobalState\$'.* -check-determinism$`).MatchString(errb) {
		t.Errorf("no replay line with -check-determinism:\n%s", errb)
	}
}

// TestUnreadFlags: a simrun flag that simrun test does not read is a usage error naming
// it, as in the scenario CLI, and so is a bad -shard or -parallel.
func TestUnreadFlags(t *testing.T) {
	for _, args := range [][]string{{"-scenario", "echo"}, {"-bug", "B1"}, {"-list", "."}, {"-shard", "4/3"}, {"-parallel", "0"},
		{"-trace", "x.html", "-parallel", "2"}} {
		code, _, errb := mainOut(args...)
		if code != 2 || !strings.Contains(errb, args[0]) {
			t.Errorf("simrun test %s: exit %d, stderr %q; want 2 and the flag named", strings.Join(args, " "), code, errb)
		}
	}
}

// TestOutReplay: -out writes a bundle per failing run (text with the replay commands,
// decisions, two traces), and -replay of its decision file runs the same run again.
// Method: sweep TestLostUpdate over seeds 1-3 (all three fail) with -out; check each
// bundle's files; replay each decision file through Main and compare the hash with the
// sweep's line; a decision file of another hash (the code changed) fails the replay, and
// -replay with -seeds is a usage error.
func TestOutReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program five times")
	}
	out := t.TempDir()
	code, sweep, errb := mainOut(simrunDir, "-run", "LostUpdate", "-seeds", "1-3", "-out", out)
	if code != 1 || strings.Count(sweep, "ok=false") != 3 {
		t.Fatalf("exit %d, want 1 and three failures:\n%s%s", code, sweep, errb)
	}
	for seed := 1; seed <= 3; seed++ {
		base := filepath.Join(out, "TestLostUpdate-seed"+strconv.Itoa(seed))
		for ext, want := range map[string]string{".txt": "replay:    " + ReplayPrefix, ".decisions": "scenario=TestLostUpdate seed=" + strconv.Itoa(seed) + " hash=",
			".html": "<!", ".jsonl": `{"seq":`} {
			b, err := os.ReadFile(base + ext)
			if err != nil || !strings.Contains(string(b), want) {
				t.Errorf("%s%s: %v, want it to contain %q:\n%.300s", base, ext, err, want, b)
			}
		}
		want := regexp.MustCompile(`(?m)^scenario=TestLostUpdate seed=` + strconv.Itoa(seed) + ` .*$`).FindString(sweep)
		hash := want[strings.Index(want, "hash="):]
		if code, got, errb := mainOut(simrunDir, "-replay", base+".decisions"); code != 1 || !strings.Contains(got, hash) {
			t.Errorf("replay of seed %d: exit %d, got %s, want %s\n%s", seed, code, got, hash, errb)
		}
	}
	b, _ := os.ReadFile(filepath.Join(out, "TestLostUpdate-seed1.decisions"))
	stale := filepath.Join(out, "stale.decisions")
	if err := os.WriteFile(stale, regexp.MustCompile(`hash=[0-9a-f]+`).ReplaceAll(b, []byte("hash=0123456789abcdef")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errb := mainOut(simrunDir, "-replay", stale); code != 1 || !strings.Contains(errb, "no longer replays") {
		t.Errorf("replay of a file with another hash: exit %d, stderr:\n%s", code, errb)
	}
	if code, _, errb := mainOut(simrunDir, "-replay", stale, "-seeds", "3"); code != 2 || !strings.Contains(errb, "-seeds does nothing with -replay") {
		t.Errorf("-replay -seeds: exit %d, stderr %q; want 2", code, errb)
	}
}

// TestExplain checks that -explain lists, without building or running, the calls the
// schedule cannot see into (a process run, a dial, a connection close and io.Pipe in
// testdata/explain), with the user's lines, and none of the calls that are harmless
// there (exec.Command, which only builds the command, an address's String, strings).
func TestExplain(t *testing.T) {
	code, out, errb := mainOut(filepath.Join("testdata", "explain"), "-explain")
	want := []string{"x_test.go:15: (*os/exec.Cmd).Run:", "x_test.go:18: net.Dial:", "x_test.go:19: (net.Conn).Close:",
		"x_test.go:21: io.Pipe:", "4 call sites the schedule cannot see into"}
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out, errb)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q in:\n%s", w, out)
		}
	}
	if code, _, errb := mainOut(filepath.Join("testdata", "explain"), "-explain", "-seeds", "3"); code != 2 || !strings.Contains(errb, "-seeds does nothing with -explain") {
		t.Errorf("-explain -seeds: exit %d, %q; want a usage error", code, errb)
	}
}

// TestTrace checks -trace: the one run a sweep selects writes its events as an HTML page
// (the deadlock of testdata/constructs/nilblock, whose page marks the failure), and
// a sweep of two runs is a usage error.
func TestTrace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	dir := filepath.Join("testdata", "constructs", "nilblock")
	path := filepath.Join(t.TempDir(), "run.html")
	code, out, errb := mainOut(dir, "-seeds", "3", "-trace", path)
	page, err := os.ReadFile(path)
	if code != 1 || err != nil || !bytes.Contains(page, []byte("<html")) || !bytes.Contains(page, []byte("FAIL all 1 live tasks are blocked")) {
		t.Fatalf("exit %d, page %d bytes (%v); want 1 and a page of the deadlock:\n%s%s", code, len(page), err, out, errb)
	}
	if code, _, errb := mainOut(dir, "-seeds", "1-2", "-trace", path); code != 2 || !strings.Contains(errb, "take one run") {
		t.Errorf("-trace over two seeds: exit %d, %q; want a usage error", code, errb)
	}
}

// TestShrink checks -shrink on a translated test: the failing run of TestLostUpdate seed 2
// shrinks to no more preemptions than it had, keeps its failure, and the saved decision
// file replays it (exit 1, the same failure); a sweep of two runs is a usage error.
func TestShrink(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	dir := t.TempDir()
	code, out, errb := mainOut(simrunDir, "-run", "^TestLostUpdate$", "-seeds", "2", "-shrink", "-out", dir)
	m := regexp.MustCompile(`(?m)^original: .*?(\d+) preemptions.*\nshrunk: .*?(\d+) preemptions.*\nfailure: .*lost update`).FindStringSubmatch(out)
	if code != 1 || m == nil {
		t.Fatalf("exit %d, want 1 and the shapes before and after:\n%s%s", code, out, errb)
	}
	before, _ := strconv.Atoi(m[1])
	after, _ := strconv.Atoi(m[2])
	if after > before {
		t.Errorf("shrinking raised the preemptions from %d to %d", before, after)
	}
	file := filepath.Join(dir, "TestLostUpdate-seed2.decisions")
	if !strings.Contains(out, "-replay "+file) {
		t.Errorf("no replay command for %s in:\n%s", file, out)
	}
	code, out, errb = mainOut(simrunDir, "-replay", file)
	if code != 1 || !strings.Contains(errb, "lost update") {
		t.Errorf("replay of the shrunk run: exit %d, want 1 and the same failure:\n%s%s", code, out, errb)
	}
	if code, _, errb := mainOut(simrunDir, "-run", "^TestLostUpdate$", "-seeds", "1-2", "-shrink"); code != 2 || !strings.Contains(errb, "take one run") {
		t.Errorf("-shrink over two seeds: exit %d, %q; want a usage error", code, errb)
	}
}

// TestPower checks -power on a translated test: a row for TestLostUpdate with a
// median / worst cell per strategy and every first failure replaying, over 20 ranges of
// seeds 1-100; a seed list that is not one range is a usage error.
func TestPower(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	code, out, errb := mainOut(simrunDir, "-run", "^TestLostUpdate$", "-power", "-seeds", "1-100")
	row := regexp.MustCompile(`(?m)^\| TestLostUpdate \|( >?\d+ / >?\d+ \|){5} yes \|$`)
	if code != 0 || !strings.Contains(out, "seeds 1-100 in 20 ranges of 5") || !row.MatchString(out) {
		t.Fatalf("exit %d, want 0 and a row of five cells that replays:\n%s%s", code, out, errb)
	}
	if code, _, errb := mainOut(simrunDir, "-power", "-seeds", "1-10,20-40"); code != 2 || !strings.Contains(errb, "one seed range") {
		t.Errorf("-power over two ranges: exit %d, %q; want a usage error", code, errb)
	}
}
