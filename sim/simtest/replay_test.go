package simtest_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The end-to-end tests: go test in a subprocess, on the demo package whose tests fail on
// purpose when SIMTEST_DEMO=1 is set, exactly as a user would run it.

const demo = "./sim/simtest/internal/demo"

var (
	identity = regexp.MustCompile(`seed=(\d+) strategy=(\S+) hash=([0-9a-f]{16})`)
	replayed = regexp.MustCompile(`(?m)^\s*replay: (go test .*)$`)
)

// TestReplayCommand: a failing test prints a replay command, and running that command
// fails again on the same seed with the same strategy and hash. Method: run the demo's
// failing test and its failing subtest with go test, take the identity line and the
// replay command from the output, run the command (split as a shell would) from the
// module root, and compare the identity lines; a build with -tags replays with them.
func TestReplayCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a subprocess")
	}
	for _, tc := range []struct {
		test  string
		flags []string // the sweep's flags; the replay must not need them
		want  string   // in the identity line
	}{
		{"TestBuggy", nil, "strategy="},
		{"TestBuggySub", []string{"-args", "-sim.seeds=50-300", "-sim.strategy=random"}, "strategy=random"},
		{"TestBuggy", []string{"-tags", "simtestdemo"}, "strategy="}, // the replay must carry the tags
	} {
		out, err := goTest(t, append([]string{"test", demo, "-run", "^" + tc.test + "$", "-count=1"}, tc.flags...)...)
		first, command := failure(t, out, err)
		if !strings.Contains(first, tc.want) || slices.Contains(tc.flags, "-sim.seeds=50-300") && strings.HasPrefix(first, "seed=1 ") {
			t.Errorf("%s %v: the failure is %q", tc.test, tc.flags, first)
		}
		if len(tc.flags) > 0 && tc.flags[0] == "-tags" && !strings.Contains(command, "-tags '"+tc.flags[1]+"'") {
			t.Errorf("%s: the replay command %q does not carry -tags %s", tc.test, command, tc.flags[1])
		}
		args, err := shellSplit(command)
		if err != nil || len(args) < 2 || args[0] != "go" || args[1] != "test" {
			t.Fatalf("%s: the replay command %q does not split into go test ... (%v)", tc.test, command, err)
		}
		out, err = goTest(t, args[1:]...)
		again, _ := failure(t, out, err)
		if again != first {
			t.Errorf("%s: the replay gave %q, the sweep %q\nreplay: %s", tc.test, again, first, command)
		}
		if !strings.Contains(out, "simtest: seed ") || strings.Contains(out, "(sweep ") {
			t.Errorf("%s: the replay should run the one seed:\n%s", tc.test, out)
		}
	}
}

// TestQuietPass: a passing test under -sim.seeds prints go test's ok line and nothing
// else.
func TestQuietPass(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a subprocess")
	}
	out, err := goTest(t, "test", demo, "-run", "^TestFixed$", "-count=1", "-args", "-sim.seeds=1-50,1000-1010")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 1 || !strings.HasPrefix(lines[0], "ok  \t") {
		t.Errorf("want one ok line, got (%v):\n%s", err, out)
	}
}

// TestBadFlagFails: a bad value in a real flag fails the test, naming the flag.
func TestBadFlagFails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a subprocess")
	}
	out, err := goTest(t, "test", demo, "-run", "^TestFixed$", "-count=1", "-args", "-sim.strategy=pct0")
	if err == nil || !strings.Contains(out, "simtest: bad -sim.strategy: unknown strategy \"pct0\"") {
		t.Errorf("want a failure naming -sim.strategy, got (%v):\n%s", err, out)
	}
}

// failure checks that go test failed and returns the identity line and the replay
// command of the one failure in its output.
func failure(t *testing.T, out string, err error) (identityLine, command string) {
	t.Helper()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("want go test to fail, got %v:\n%s", err, out)
	}
	ids, cmds := identity.FindAllString(out, -1), replayed.FindAllStringSubmatch(out, -1)
	if len(ids) != 1 || len(cmds) != 1 {
		t.Fatalf("want one identity line and one replay command, got %q and %q in:\n%s", ids, cmds, out)
	}
	return ids[0], cmds[0][1]
}

// goTest runs the go command with args from the module root, with the demo's failures
// switched on, and returns its combined output.
func goTest(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(goBinary(t), args...)
	cmd.Dir = moduleRoot(t)
	cmd.Env = append(os.Environ(), "SIMTEST_DEMO=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func goBinary(t *testing.T) string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	t.Skip("no go command on PATH")
	return ""
}

// moduleRoot is the directory of the go.mod above the test's directory.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// shellSplit splits a command line as a POSIX shell would, for the quoting that replay
// commands use: words separated by blanks, single quotes, and backslash escapes outside
// them.
func shellSplit(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			w.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, errors.New("unterminated single quote")
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}
