package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim/simcli"
)

func simrun(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = simcli.Run(args, &o, &e, config())
	return o.String(), e.String(), code
}

var lineRE = regexp.MustCompile(`^scenario=[a-z0-9-]+ seed=\d+ strategy=[a-z0-9+]+ ok=(true|false) steps=\d+ vtime=\S+ hash=[0-9a-f]{16}( failure=[a-z-]+)?$`)

// TestSeedReplaysByteForByte checks the CLI contract of DESIGN §9: one verdict line per
// default scenario in the documented format, byte-identical on a second run, and a
// different seed changes every hash.
func TestSeedReplaysByteForByte(t *testing.T) {
	a, errA, code := simrun("-seed", "1234")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, a, errA)
	}
	lines := strings.Split(strings.TrimSpace(a), "\n")
	if len(lines) < 4 {
		t.Fatalf("want a line per default scenario, got:\n%s", a)
	}
	for _, l := range lines {
		if !lineRE.MatchString(l) {
			t.Fatalf("line does not match the format: %q", l)
		}
	}
	if b, _, _ := simrun("-seed", "1234", "-parallel", "1"); b != a {
		t.Fatalf("second run differs:\n%s\n---\n%s", a, b)
	}
	c, _, _ := simrun("-seed", "1235")
	hashes := func(out string) []string { return regexp.MustCompile(`hash=(\w+)`).FindAllString(out, -1) }
	ha, hc := hashes(a), hashes(c)
	for i := range ha {
		if ha[i] == hc[i] {
			t.Errorf("seed 1235 kept %s of %q", ha[i], lines[i])
		}
	}
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"-scenario", "canary-lost-update", "-seeds", "1-50", "-strategy", "random"}, 1, "failure=assert"},
		{[]string{"-scenario", "nope"}, 2, ""},
		{[]string{"-seeds", "5-1"}, 2, ""},
		{[]string{"-strategy", "dfs"}, 2, ""},
		{[]string{"-bogus"}, 2, ""},
		{[]string{"extra"}, 2, ""},
		{[]string{"-list"}, 0, "canary-ordering"},
	}
	for _, c := range cases {
		out, errOut, code := simrun(c.args...)
		if code != c.code || !strings.Contains(out, c.out) {
			t.Errorf("simrun %v: exit %d (want %d), output:\n%s%s", c.args, code, c.code, out, errOut)
		}
	}
}

// TestFailureReportHasReplay checks that a failing run explains itself and names the
// command that replays it, and that the command does replay it.
func TestFailureReportHasReplay(t *testing.T) {
	out, errOut, code := simrun("-scenario", "canary-lock-order", "-seeds", "1-100", "-strategy", "random")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"deadlock", `blocked on mutex "b"`, "held by task", "replay: go run ./cmd/simrun -scenario canary-lock-order -seed "} {
		if !strings.Contains(errOut, want) {
			t.Fatalf("report lacks %q:\n%s", want, errOut)
		}
	}
	m := regexp.MustCompile(`replay: go run ./cmd/simrun (.*)`).FindStringSubmatch(errOut)
	again, _, code := simrun(strings.Fields(m[1])...)
	first := regexp.MustCompile(`(?m)^scenario=.*failure=deadlock$`).FindString(out)
	if code != 1 || strings.TrimSpace(again) != first {
		t.Fatalf("replay gave exit %d:\n%s\nwant:\n%s", code, again, first)
	}
}

func TestJSONLines(t *testing.T) {
	out, _, code := simrun("-json", "-seeds", "1-3", "-scenario", "pipeline,canary-lost-update", "-strategy", "random")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("want 6 JSON lines, got %d:\n%s", len(lines), out)
	}
	for _, l := range lines {
		var r struct {
			Scenario string  `json:"scenario"`
			Seed     float64 `json:"seed"`
			Strategy string  `json:"strategy"`
			OK       *bool   `json:"ok"`
			Steps    float64 `json:"steps"`
			VTime    float64 `json:"vtime_ns"`
			Hash     string  `json:"hash"`
			Failure  string  `json:"failure"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if r.Scenario == "" || r.Seed == 0 || r.Strategy == "" || r.OK == nil || r.Steps == 0 || len(r.Hash) != 16 {
			t.Fatalf("missing fields: %q", l)
		}
		if !*r.OK && r.Failure == "" {
			t.Fatalf("failed run without failure: %q", l)
		}
	}
}

func TestHelpIsThePackageDoc(t *testing.T) {
	_, errOut, code := simrun("-h")
	if code != 0 || !strings.Contains(errOut, "Usage:") || !strings.Contains(errOut, "-power") {
		t.Fatalf("exit %d, help:\n%s", code, errOut)
	}
}

// TestRealMode runs a stress-style scenario on the real runtime and refuses one that only
// exists under simulation.
func TestRealMode(t *testing.T) {
	out, errOut, code := simrun("-real", "-scenario", "mux-sustained-streams", "-seeds", "1-2")
	if code != 0 || !strings.Contains(out, "summary scenario=mux-sustained-streams mode=real runs=2 failed=0") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := simrun("-real", "-scenario", "mux-hostile-peer"); code != 2 || !strings.Contains(errOut, "does not run under the real runtime") {
		t.Fatalf("a simulation-only scenario in real mode: exit %d, %s", code, errOut)
	}
}
