package simtest_test

import (
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/simtest"
)

// TestRealHangFails is the acceptance test of Real's deadline (issue 16): a body that
// blocks forever fails its test within the deadline, from the test's goroutine, naming
// the test, with the stacks of the body and of the goroutine it started but not of one
// the test started before Real, the state's answer and a rerun command. Method: run the
// demo's TestHang (a 500ms deadline) with go test in a subprocess, and read its output.
func TestRealHangFails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a subprocess")
	}
	out, err := goTest(t, "test", demo, "-run", "^TestHang$", "-count=1")
	mustFail(t, err, out)
	for _, want := range []string{
		"--- FAIL: TestHang (",
		"simtest: TestHang did not finish within 500ms (hung?)",
		"demo.blockOnChannel(", // the body
		"demo.blockedHelper(",  // a goroutine the body started
		"state of the code under test:\n        demo state: waiting on never",
		"rerun: go test ./sim/simtest/internal/demo -run '^TestHang$' -count=1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "demo.outsider(") {
		t.Errorf("the dump shows a goroutine the test started before Real:\n%s", out)
	}
	if strings.Contains(out, "Real returned after its body hung") {
		t.Errorf("the test went on after Real failed it:\n%s", out)
	}
	// The test took its deadline, not go test's: well under a few seconds.
	m := regexp.MustCompile(`--- FAIL: TestHang \(([0-9.]+)s\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no duration in the failure:\n%s", out)
	}
	if secs, _ := strconv.ParseFloat(m[1], 64); secs < 0.5 || secs > 5 {
		t.Errorf("TestHang failed after %ss, want its deadline, 0.5s", m[1])
	}
}

// TestRealBodyFails: t.Fatal in the body fails the test and ends it, and a panic in the
// body fails it with the panic's value and the body's stack.
func TestRealBodyFails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a subprocess")
	}
	out, err := goTest(t, "test", demo, "-run", "^TestBodyFatal$", "-count=1")
	mustFail(t, err, out)
	if !strings.Contains(out, "body failed on purpose") || strings.Contains(out, "Real returned") {
		t.Errorf("want the body's failure and nothing after it:\n%s", out)
	}
	out, err = goTest(t, "test", demo, "-run", "^TestBodyPanic$", "-count=1")
	mustFail(t, err, out)
	for _, want := range []string{"--- FAIL: TestBodyPanic", "body panicked on purpose [in the test body's goroutine]", "demo.panicInBody("} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}

// TestRealPassesAndSkips: a body that returns passes, and one that calls t.Skip skips
// its test; in both, the body's effects are seen after Real returns.
func TestRealPassesAndSkips(t *testing.T) {
	ran := false
	simtest.Real(t, sim.RealOptions{}, func(t *testing.T) { ran = true })
	if !ran {
		t.Fatal("the body did not run")
	}
	after := false
	t.Run("skip", func(t *testing.T) {
		simtest.Real(t, sim.RealOptions{}, func(t *testing.T) { t.Skip("skipped on purpose") })
		after = true
	})
	if after {
		t.Error("the skipped test went on after Real")
	}
}

func mustFail(t *testing.T, err error, out string) {
	t.Helper()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("want go test to fail, got %v:\n%s", err, out)
	}
}
