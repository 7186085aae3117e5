package translate

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDRPCUnderScheduler translates stock storj.io/drpc v1.0.0 with the scenario of
// bench/drpcsim (a client and a server over a simnet pipe: the four RPC kinds, a stream
// cancelled midway, a deadline, a deadline racing the answer) and checks that seeds 1-40
// pass with -check-determinism, and that seed 118 of TestRaceCancel still finds the drpc
// behaviour documented in docs/drpc-under-sim.md (a call returns an earlier call's
// context error). The full sweep is the documented command (seeds 1-500). It needs the
// bench module's dependencies (the module proxy or cache), and skips under -short.
func TestDRPCUnderScheduler(t *testing.T) {
	if testing.Short() {
		t.Skip("translates and builds storj.io/drpc")
	}
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "bench", "drpcsim")
	list := exec.Command("go", "list", "-deps", ".")
	list.Dir = dir
	if out, err := list.CombinedOutput(); err != nil {
		t.Skipf("bench's modules are not available: %v\n%s", err, out)
	}
	var out, errb bytes.Buffer
	code := Main([]string{"test", dir, "-translate", "storj.io/drpc/...", "-seeds", "1-40", "-check-determinism"}, &out, &errb)
	if code != 0 || strings.Count(out.String(), "ok=true") != 3*40 {
		t.Fatalf("exit %d, want 0 and 120 passing runs:\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	code = Main([]string{"test", dir, "-translate", "storj.io/drpc/...", "-run", "^TestRaceCancel$", "-seeds", "118"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), `failed with "context deadline exceeded": not its own error`) {
		t.Fatalf("seed 118: exit %d, want 1 and the earlier call's context error:\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), "replay: go run ./cmd/simrun test "+dir+" -translate storj.io/drpc/... -run '^TestRaceCancel$' -seeds 118") {
		t.Fatalf("the report's replay command is not the one that ran:\n%s", errb.String())
	}
}
