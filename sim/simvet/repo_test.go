package simvet_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// simulatedPackages are this module's packages marked //simvet:simulated.
var simulatedPackages = []string{"github.com/muxsim/muxsim/mux", "github.com/muxsim/muxsim/mux/wire", "github.com/muxsim/muxsim/simnet", "github.com/muxsim/muxsim/scheduler"}

// TestRepo checks that this module's simulated packages keep simvet's rules, in the
// default build and with the muxbugs tag that compiles the planted bugs. Method: build
// the simvet command and run it under go vet, as a developer would, from the module
// root; any finding fails the test. Building and vetting takes a few seconds, so -short
// skips it.
func TestRepo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds simvet and runs go vet over the simulated packages")
	}
	root := moduleRoot(t)
	tool := filepath.Join(t.TempDir(), "simvet")
	run(t, root, "go", "build", "-o", tool, "github.com/muxsim/muxsim/cmd/simvet")
	for _, tags := range []string{"", "muxbugs"} {
		args := append([]string{"vet", "-vettool=" + tool, "-tags=" + tags}, simulatedPackages...)
		out, err := command(root, "go", args...).CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("simvet findings with tags %q (%v):\n%s\nreplay: go build -o /tmp/simvet github.com/muxsim/muxsim/cmd/simvet && go %s",
				tags, err, out, strings.Replace(strings.Join(args, " "), tool, "/tmp/simvet", 1))
		}
	}
}

// moduleRoot returns the directory of this module's go.mod.
func moduleRoot(t *testing.T) string {
	gomod := strings.TrimSpace(run(t, ".", "go", "env", "GOMOD"))
	if gomod == "" || gomod == "/dev/null" {
		t.Fatalf("not in a module: go env GOMOD = %q", gomod)
	}
	return filepath.Dir(gomod)
}

// run runs a command in dir and returns its output, failing the test if it fails.
func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	out, err := command(dir, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// command returns the command name args, to be run in dir.
func command(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	return cmd
}
