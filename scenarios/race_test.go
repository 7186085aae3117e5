package scenarios

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
)

// raceChildEnv names the scenario and baton a child process runs in TestRaceChild.
const raceChildEnv = "MUXSIM_RACE_CHILD"

// TestRaceDetector checks DESIGN §3.8: with the race-preserving channel baton, -race
// reports the unsynchronised counter and stays quiet on the same program with the
// runtime's mutex; with the coroutine baton, whose handoffs are happens-before edges, the
// race stays hidden (which is why sweeps that find a seed replay it with -baton chan).
// Each case runs in a child process, because a reported race fails the process it is in.
// Without -race the test re-runs itself under go test -race (skipped with -short).
func TestRaceDetector(t *testing.T) {
	if !scheduler.RaceEnabled {
		if testing.Short() {
			t.Skip("needs a -race build; run without -short to build one")
		}
		cmd := exec.Command("go", "test", "-race", "-count=1", "-run", "^TestRaceDetector$", ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go test -race failed: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "ok") {
			t.Fatalf("unexpected output:\n%s", out)
		}
		return
	}
	cases := []struct {
		scenario, baton string
		race            bool
	}{
		{"canary-unsynced-counter", "chan", true},
		{"counter-mutex", "chan", false},
		{"canary-unsynced-counter", "coro", false},
	}
	for _, c := range cases {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRaceChild$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), raceChildEnv+"="+c.scenario+","+c.baton)
		out, _ := cmd.CombinedOutput()
		raced := strings.Contains(string(out), "WARNING: DATA RACE")
		if raced != c.race {
			t.Errorf("%s with the %s baton: race reported = %v, want %v\n%s", c.scenario, c.baton, raced, c.race, out)
		}
		if c.race && !strings.Contains(string(out), "canaries.go") {
			t.Errorf("%s: the race report does not point at the increment:\n%s", c.scenario, out)
		}
		if !c.race && !strings.Contains(string(out), "--- PASS: TestRaceChild") {
			t.Errorf("%s with the %s baton: child did not pass:\n%s", c.scenario, c.baton, out)
		}
	}
}

// TestRaceChild is TestRaceDetector's child: it runs one scenario under -race.
func TestRaceChild(t *testing.T) {
	spec := os.Getenv(raceChildEnv)
	if spec == "" {
		t.Skip("helper process for TestRaceDetector")
	}
	name, baton, _ := strings.Cut(spec, ",")
	b := scheduler.BatonChannel
	if baton == "coro" {
		b = scheduler.BatonCoroutine
	}
	sc := Lookup(name)
	for seed := uint64(1); seed <= 5; seed++ {
		if v := sc.Run(opts(seed, "random", b)); !v.OK() {
			t.Fatalf("seed %d: %s", seed, v.Report())
		}
	}
}
