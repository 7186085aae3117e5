package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// whyRow is one row of -why's table: k  step  P(fail)  n/N  [<- marks].
var whyRow = regexp.MustCompile(`(?m)^\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+(\d+)/(\d+)(.*)$`)

// -why's thresholds (sim/simcli/why.go): below whyLow the run was still likely to pass,
// from whyHigh on the failure counts as inevitable.
const whyLow, whyHigh = 0.5, 0.9

// TestWhyNamesTheLockOrderWindow: the goal is -why's promise on a lock-order deadlock,
// that it names a jump in the failure probability (low with one decision fewer replayed,
// high from it on) at a decision of the racing tasks, inside the window where one of them
// holds its first mutex. Method: find failing runs of canary-lock-order with a sweep and
// -out, run -why on each decision file, and read its table and verdict.
func TestWhyNamesTheLockOrderWindow(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := simrun("-canaries", "-scenario", "canary-lock-order", "-seeds", "1-30", "-strategy", "random", "-out", dir)
	if code != 1 {
		t.Fatalf("want failing seeds: exit %d\n%s%s", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.decisions"))
	if len(files) < 2 {
		t.Fatalf("want at least two failing runs, got %v", files)
	}
	for _, file := range files[:2] {
		out, errOut, code := simrun("-why", file, "-why-runs", "20", "-parallel", "2")
		if code != 1 {
			t.Fatalf("-why %s: exit %d, want 1 (the run fails)\n%s%s", file, code, out, errOut)
		}
		rows := map[int][]string{}
		jump := -1
		for _, m := range whyRow.FindAllStringSubmatch(out, -1) {
			k, _ := strconv.Atoi(m[1])
			rows[k] = m
			if strings.Contains(m[6], "jump") {
				jump = k
			}
		}
		if jump < 1 || rows[jump-1] == nil {
			t.Fatalf("-why %s names no jump between two adjacent prefixes:\n%s", file, out)
		}
		before, _ := strconv.ParseFloat(rows[jump-1][3], 64)
		after, _ := strconv.ParseFloat(rows[jump][3], 64)
		if before >= whyLow || after < whyHigh {
			t.Errorf("-why %s: P(fail) %.2f before the jump and %.2f at it, want below %.2f and at least %.2f:\n%s",
				file, before, after, whyLow, whyHigh, out)
		}
		// The decision of the jump, marked ">", runs one of the racing tasks, and the
		// events of its step show a task of the race holding a mutex of the race.
		decision := regexp.MustCompile(`(?m)^> decision \d+ \(step (\d+),.*$`).FindStringSubmatch(out)
		if decision == nil {
			t.Fatalf("-why %s marks no decision of the jump:\n%s", file, out)
		}
		if !regexp.MustCompile(`task \d+ "(ab|ba)" runs`).MatchString(decision[0]) {
			t.Errorf("-why %s: the jump's decision is not one of the racing tasks':\n%s", file, out)
		}
		if !regexp.MustCompile(`(?m)^> .*task \d+ "(ab|ba)" takes mutex "(a|b)"`).MatchString(out) &&
			!strings.Contains(out, `"ab" takes mutex "a"`) && !strings.Contains(out, `"ba" takes mutex "b"`) {
			t.Errorf("-why %s: no racing task takes its first mutex around the jump:\n%s", file, out)
		}
		if !strings.Contains(out, "the failure became likely at step "+decision[1]) {
			t.Errorf("-why %s: the verdict does not name the jump's step %s:\n%s", file, decision[1], out)
		}
		// -trace draws the run with a note at that step.
		tr := filepath.Join(dir, "why.jsonl")
		if _, errOut, code := simrun("-why", file, "-trace", tr); code != 1 {
			t.Fatalf("-why %s -trace: exit %d\n%s", file, code, errOut)
		}
		b, err := os.ReadFile(tr)
		if err != nil || !regexp.MustCompile(`"step":`+decision[1]+`,[^\n]*"kind":"note"[^\n]*-why: the failure became likely here`).Match(b) {
			t.Errorf("-why %s -trace: no note at step %s in the trace (%v)", file, decision[1], err)
		}
	}
}
