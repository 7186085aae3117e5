package simcli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var hashRE = regexp.MustCompile(`hash=([0-9a-f]{16})`)

// TestDeterminismComparesWithTheFirstRun plants a scenario whose first run differs from
// every later one. Comparing two reruns with each other would call them equal; the check
// must compare each rerun with run 1, and say which run differed and at which step.
func TestDeterminismComparesWithTheFirstRun(t *testing.T) {
	flakyRuns.Store(0)
	out, errOut, code := tsim("-scenario", "flaky", "-seed", "1", "-strategy", "random", "-check-determinism", "-parallel", "1")
	if code != 1 || !strings.Contains(out, "failure=nondeterministic") {
		t.Fatalf("exit %d, want 1 with a nondeterministic verdict:\n%s%s", code, out, errOut)
	}
	if !regexp.MustCompile(`run 2 of 2 differs from run 1 at step \d+ \(event \d+\)`).MatchString(errOut) {
		t.Fatalf("the report does not name the run and step that differ:\n%s", errOut)
	}
	if _, _, code := tsim("-scenario", "counter", "-seeds", "1-20", "-check-determinism"); code != 1 {
		t.Fatalf("the counter fails some seeds: exit %d, want 1", code) // failures, not nondeterminism
	}
	if out, _, _ := tsim("-scenario", "counter", "-seeds", "1-20", "-check-determinism", "-v"); strings.Contains(out, "nondeterministic") {
		t.Fatalf("a deterministic scenario was called nondeterministic:\n%s", out)
	}
}

// TestReplayCommandCarriesEveryFlag fails a run with every flag that shapes it set to a
// non-default value, then runs the printed replay command and wants the same verdict line,
// hash included.
func TestReplayCommandCarriesEveryFlag(t *testing.T) {
	defer testBugs.Enable("none")
	args := []string{"-scenario", "counter", "-seed", "3", "-strategy", "random", "-max-steps", "9",
		"-param", "tasks=4", "-baton", "chan", "-watchdog", "7s", "-bug", "planted"}
	out, errOut, code := tsim(args...)
	if code != 1 || !strings.Contains(out, "failure=livelock-steps") {
		t.Fatalf("want the step limit to fail the run: exit %d\n%s%s", code, out, errOut)
	}
	m := regexp.MustCompile(`(?m)^replay: (.*)$`).FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("no replay command:\n%s", errOut)
	}
	cmd := m[1]
	for _, want := range []string{"-max-steps 9", "-param tasks=4", "-baton chan", "-watchdog 7s", "-bug planted", "-strategy random"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("replay command %q lacks %q", cmd, want)
		}
	}
	rest, ok := strings.CutPrefix(cmd, "go run -tags testbugs ./cmd/tsim ")
	if !ok {
		t.Fatalf("replay command %q does not build with the bug's tags", cmd)
	}
	testBugs.Enable("none") // the command must switch it on itself
	again, errAgain, code := tsim(strings.Fields(rest)...)
	if code != 1 || strings.TrimSpace(again) != strings.TrimSpace(out) {
		t.Fatalf("%s\ngave exit %d:\n%s%s\nwant:\n%s", cmd, code, again, errAgain, out)
	}
}

// TestFlagsOutsideTheirMode checks that a flag the chosen mode would ignore is a usage
// error, that an unknown flag is one line with a hint, that -bugs prints on standard
// output, and that -list -real lists only scenarios that run for real.
func TestFlagsOutsideTheirMode(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.decisions")
	if err := os.WriteFile(file, []byte("scenario=counter seed=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-real", "-trace", filepath.Join(dir, "t.html")},
		{"-real", "-shrink"},
		{"-real", "-out", dir},
		{"-power", "-seeds", "1-40", "-trace", filepath.Join(dir, "t.html")},
		{"-power", "-seeds", "1-40", "-strategy", "random"},
		{"-replay", file, "-seeds", "1-2"},
		{"-replay", file, "-scenario", "counter"},
		{"-shrink", "-scenario", "counter", "-trace", filepath.Join(dir, "t.html")},
		{"-list", "-seeds", "1-3"},
		{"-why", file, "-seeds", "1-2"},
		{"-why", file, "-shrink"},
		{"-scenario", "counter", "-why-runs", "5"},
		{"-for", "1s"},
	} {
		out, errOut, code := tsim(args...)
		if code != 2 || !strings.Contains(errOut, "does nothing with") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("tsim %v: exit %d (want 2 and one line saying the flag does nothing):\n%s%s", args, code, out, errOut)
		}
	}
	out, errOut, code := tsim("-foo")
	if code != 2 || out != "" || errOut != "tsim: flag provided but not defined: -foo (tsim -h for help)\n" {
		t.Errorf("unknown flag: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if out, _, code := tsim("-bugs"); code != 0 || !strings.HasPrefix(out, "planted ") {
		t.Errorf("-bugs: exit %d, stdout %q", code, out)
	}
	noBugs := testConfig
	noBugs.Bugs = nil
	for _, args := range [][]string{{"-bugs"}, {"-bug", "planted", "-scenario", "counter"}} {
		var o, e strings.Builder
		if code := Run(args, &o, &e, noBugs); code != 2 || !strings.Contains(e.String(), "has no known bugs") {
			t.Errorf("%v without bug hooks: exit %d, %s", args, code, e.String())
		}
	}
	out, _, code = tsim("-list", "-real")
	if code != 0 || !strings.Contains(out, "real-one") || strings.Contains(out, "counter") {
		t.Errorf("-list -real lists more than the real scenarios: exit %d\n%s", code, out)
	}
}

// TestReplayNoticesAChangedRun saves a failing run's decisions through -out, replays them
// (same failure, same hash), then edits one decision as a code change would make it
// unreachable: the replay must fail and name that decision, not run another schedule.
func TestReplayNoticesAChangedRun(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := tsim("-scenario", "counter", "-seeds", "1-50", "-strategy", "random", "-out", dir)
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.decisions"))
	if len(files) == 0 {
		t.Fatalf("no decision file in %s", dir)
	}
	seed := regexp.MustCompile(`seed(\d+)\.decisions$`).FindStringSubmatch(files[0])[1]
	want := regexp.MustCompile(`(?m)^scenario=counter seed=` + seed + ` .*$`).FindString(out)
	rout, rerr, code := tsim("-replay", files[0])
	wantHash := hashRE.FindStringSubmatch(want)[1]
	if code != 1 || !strings.Contains(rout, "hash="+wantHash+" failure=assert") || strings.Contains(rerr, "no longer replays") {
		t.Fatalf("replay of %s: exit %d\n%s%s\nwant the hash and failure of %q", files[0], code, rout, rerr, want)
	}
	b, _ := os.ReadFile(files[0])
	lines := strings.Split(string(b), "\n")
	if !strings.Contains(lines[1], " hash="+wantHash) {
		t.Fatalf("the file does not record the run's hash:\n%s", b)
	}
	// Decisions are task IDs: 999 names no task, as a decision of a changed program may.
	edited := false
	for i := 2; i < len(lines) && !edited; i++ {
		ds := strings.Fields(lines[i])
		for k, d := range ds {
			if d != "0" {
				ds[k] = "999"
				lines[i], edited = strings.Join(ds, " "), true
				break
			}
		}
	}
	if !edited {
		t.Fatalf("no preemption to edit in:\n%s", b)
	}
	if err := os.WriteFile(files[0], []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, rerr, code = tsim("-replay", files[0])
	if code != 1 || !regexp.MustCompile(`no longer replays the run it recorded: decision \d+ of the file is 999, the run took 0`).MatchString(rerr) {
		t.Fatalf("replay of the edited file: exit %d\n%s", code, rerr)
	}
}
