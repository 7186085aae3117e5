package sim

import (
	"os/exec"
	"strings"
	"testing"
)

// TestGoDocShowsTheExample: the README promises that go doc on this package shows a
// worked example, and go doc prints no Example functions, so the package doc must carry
// it. Method: run go doc and look for the example's section and code.
func TestGoDocShowsTheExample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go doc; -short skips it")
	}
	out, err := exec.Command("go", "doc", "github.com/muxsim/muxsim/sim").CombinedOutput()
	if err != nil {
		t.Fatalf("go doc: %v\n%s", err, out)
	}
	for _, want := range []string{"# Example", "func (c *Cache) Get(key string) string", "sim.Run(sim.Options{Seed: seed, Strategy: sim.Random}, body)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go doc github.com/muxsim/muxsim/sim lacks %q", want)
		}
	}
}
